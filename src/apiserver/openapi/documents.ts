// OpenAPI documents for the served resources, in the forms kube-apiserver publishes:
// /openapi/v3 (an index of per-group-version documents, each addressed by a content hash) and
// /openapi/v2 (one Swagger 2.0 document). kubectl reads them for `explain`, for deciding whether the
// server validates fields (a PATCH operation with `x-kubernetes-group-version-kind` and a
// `fieldValidation` parameter) and for building strategic merge patches from the schemas.
import { createHash } from 'node:crypto';
import type { Schema } from '../../apimachinery/schema.js';
import type { ResourceDef } from '../../apis/resource.js';
import { builtinSchemas, componentRefPrefix, refName } from './schemas.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
/** what kubectl asks /openapi/v2 for, and the content type to answer with (`.v1.0`, never `@v1.0`) */
export const openAPIV2ProtobufContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type JSONObject = Record<string, unknown>;
interface GVK {
  group: string;
  version: string;
  kind: string;
}

/** "api/v1" or "apis/apps/v1": the key of a group-version in the /openapi/v3 index. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** Kubernetes' component name for a custom kind: the group's DNS labels reversed, then version and kind. */
export function customSchemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/** The operationId stem Kubernetes uses for a group-version: "AppsV1", "CoreV1", "PolicyKarmadaIoV1alpha1". */
function operationGroupVersion(group: string, version: string): string {
  const words = (group ? group.replace(/\.k8s\.io$/, '') : 'core').split(/[.-]/);
  return [...words, version].map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

// ---- schemas ------------------------------------------------------------------------------------------

const objectMetaField: Schema = {
  allOf: [{ $ref: `${componentRefPrefix}${META}.ObjectMeta` }],
  description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
};
const listMetaField: Schema = {
  allOf: [{ $ref: `${componentRefPrefix}${META}.ListMeta` }],
  description: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};
const apiVersionField: Schema = {
  type: 'string',
  description: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
};
const kindField: Schema = {
  type: 'string',
  description: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

/** A custom kind's published schema: the CRD's schema with apiVersion, kind and ObjectMeta filled in. */
function customKindSchema(schema: Schema | undefined, gvk: GVK): Schema {
  const base: Schema = schema ? structuredClone(schema) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  base.type = 'object';
  base.properties = { ...base.properties, apiVersion: apiVersionField, kind: kindField, metadata: objectMetaField };
  base['x-kubernetes-group-version-kind'] = [{ group: gvk.group, kind: gvk.kind, version: gvk.version }];
  return base;
}

function customListSchema(itemName: string, gvk: GVK): Schema {
  return {
    description: `${gvk.kind} is a list of ${gvk.kind.replace(/List$/, '')}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: apiVersionField,
      items: { type: 'array', description: `List of ${gvk.kind.toLowerCase().replace(/list$/, '')}s. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`, items: { $ref: `${componentRefPrefix}${itemName}` } },
      kind: kindField,
      metadata: listMetaField,
    },
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: gvk.kind, version: gvk.version }],
  };
}

/** Names of the schemas a resource's kind and list use, plus the extra schemas it brings (custom kinds). */
interface KindSchemas {
  kind: string;
  list?: string;
  own: Record<string, Schema>;
}

function kindSchemas(def: ResourceDef, builtins: Record<string, Schema>): KindSchemas {
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  if (def.schemaName && builtins[def.schemaName]) {
    const list = `${def.schemaName}List`;
    return { kind: def.schemaName, list: builtins[list] ? list : undefined, own: {} };
  }
  const kind = def.schemaName ?? customSchemaName(def.group, def.version, def.kind);
  const list = `${kind}List`;
  return {
    kind,
    list,
    own: {
      [kind]: customKindSchema(def.schema, gvk),
      [list]: customListSchema(kind, { ...gvk, kind: def.listKind }),
    },
  };
}

/** Every component name reachable by `$ref` from the given roots. */
function reachable(roots: string[], schemas: Record<string, Schema>): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const name = refName(v);
        if (name && !seen.has(name)) stack.push(name);
      } else if (k !== 'default' && k !== 'enum' && k !== 'example') visit(v);
    }
  };
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name) || !schemas[name]) continue;
    seen.add(name);
    visit(schemas[name]);
  }
  return seen;
}

// ---- paths ---------------------------------------------------------------------------------------------

type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';
type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

interface Operation {
  path: string;
  method: Method;
  action: Action;
  operationId: string;
  description: string;
  gvk: GVK;
  /** component returned on 200 */
  response: string;
  /** component sent as the body (post/put) */
  body?: string;
  query: string[];
  patchTypes?: string[];
}

interface PathParam {
  name: string;
  description: string;
}

const queryParamDocs: Record<string, { description: string; type: 'string' | 'boolean' | 'integer' }> = {
  pretty: { description: "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).", type: 'string' },
  dryRun: { description: 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed', type: 'string' },
  fieldManager: { description: 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.', type: 'string' },
  fieldValidation: { description: 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.', type: 'string' },
  force: { description: 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', type: 'boolean' },
  gracePeriodSeconds: { description: 'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.', type: 'integer' },
  propagationPolicy: { description: "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.", type: 'string' },
  labelSelector: { description: 'A selector to restrict the list of returned objects by their labels. Defaults to everything.', type: 'string' },
  fieldSelector: { description: 'A selector to restrict the list of returned objects by their fields. Defaults to everything.', type: 'string' },
  limit: { description: 'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.', type: 'integer' },
  continue: { description: 'The continue option should be set when retrieving more results from the server.', type: 'string' },
  resourceVersion: { description: 'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.', type: 'string' },
  resourceVersionMatch: { description: 'resourceVersionMatch determines how resourceVersion is applied to list calls.', type: 'string' },
  watch: { description: 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.', type: 'boolean' },
  allowWatchBookmarks: { description: 'allowWatchBookmarks requests watch events with type "BOOKMARK".', type: 'boolean' },
  timeoutSeconds: { description: 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.', type: 'integer' },
  sendInitialEvents: { description: '`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection.', type: 'boolean' },
};

const listQuery = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
const writeQuery = ['dryRun', 'fieldManager', 'fieldValidation'];
const deleteQuery = ['dryRun', 'gracePeriodSeconds', 'propagationPolicy'];
const patchTypesAll = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const patchTypesCustom = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

interface ResourcePaths {
  ops: Operation[];
  params: Map<string, PathParam[]>;
}

function resourceOperations(def: ResourceDef, names: KindSchemas): ResourcePaths {
  const root = `/${groupVersionPath(def.group, def.version)}`;
  const nsPrefix = def.namespaced ? `${root}/namespaces/{namespace}` : root;
  const collection = `${nsPrefix}/${def.resource}`;
  const item = `${collection}/{name}`;
  const gv = operationGroupVersion(def.group, def.version);
  const ns = def.namespaced ? 'Namespaced' : '';
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const verbs = new Set(def.verbs);
  const patchTypes = def.strategicMergePatch ? patchTypesAll : patchTypesCustom;
  const ops: Operation[] = [];
  const params = new Map<string, PathParam[]>();
  const nsParam: PathParam = { name: 'namespace', description: 'object name and auth scope, such as for teams and projects' };
  const nameParam = (what: string): PathParam => ({ name: 'name', description: `name of the ${what}` });
  const op = (o: Omit<Operation, 'gvk' | 'query'> & { query?: string[]; gvk?: GVK }) => ops.push({ gvk, ...o, query: ['pretty', ...(o.query ?? [])] });

  params.set(collection, def.namespaced ? [nsParam] : []);
  params.set(item, [nameParam(def.kind), ...(def.namespaced ? [nsParam] : [])]);
  if (verbs.has('list')) op({ path: collection, method: 'get', action: 'list', operationId: `list${gv}${ns}${def.kind}`, description: `list or watch objects of kind ${def.kind}`, response: names.list ?? names.kind, query: listQuery });
  if (verbs.has('create')) op({ path: collection, method: 'post', action: 'post', operationId: `create${gv}${ns}${def.kind}`, description: `create a ${def.kind}`, response: names.kind, body: names.kind, query: writeQuery });
  if (verbs.has('deletecollection')) op({ path: collection, method: 'delete', action: 'deletecollection', operationId: `deletecollection${gv}${ns}${def.kind}`, description: `delete collection of ${def.kind}`, response: `${META}.Status`, body: `${META}.DeleteOptions`, query: [...deleteQuery, ...listQuery.filter((q) => q !== 'watch' && q !== 'allowWatchBookmarks')] });
  if (verbs.has('get')) op({ path: item, method: 'get', action: 'get', operationId: `read${gv}${ns}${def.kind}`, description: `read the specified ${def.kind}`, response: names.kind });
  if (verbs.has('update')) op({ path: item, method: 'put', action: 'put', operationId: `replace${gv}${ns}${def.kind}`, description: `replace the specified ${def.kind}`, response: names.kind, body: names.kind, query: writeQuery });
  if (verbs.has('patch')) op({ path: item, method: 'patch', action: 'patch', operationId: `patch${gv}${ns}${def.kind}`, description: `partially update the specified ${def.kind}`, response: names.kind, query: [...writeQuery, 'force'], patchTypes });
  if (verbs.has('delete')) op({ path: item, method: 'delete', action: 'delete', operationId: `delete${gv}${ns}${def.kind}`, description: `delete a ${def.kind}`, response: `${META}.Status`, body: `${META}.DeleteOptions`, query: deleteQuery });
  if (def.namespaced && verbs.has('list')) {
    const all = `${root}/${def.resource}`;
    params.set(all, []);
    op({ path: all, method: 'get', action: 'list', operationId: `list${gv}${def.kind}ForAllNamespaces`, description: `list or watch objects of kind ${def.kind}`, response: names.list ?? names.kind, query: listQuery });
  }
  const sub = (name: 'status' | 'scale', kindSchema: string, subGVK: GVK) => {
    const path = `${item}/${name}`;
    const Sub = name === 'status' ? 'Status' : 'Scale';
    params.set(path, [nameParam(name === 'status' ? def.kind : 'Scale'), ...(def.namespaced ? [nsParam] : [])]);
    op({ path, method: 'get', action: 'get', operationId: `read${gv}${ns}${def.kind}${Sub}`, description: `read ${name} of the specified ${def.kind}`, response: kindSchema, gvk: subGVK });
    op({ path, method: 'put', action: 'put', operationId: `replace${gv}${ns}${def.kind}${Sub}`, description: `replace ${name} of the specified ${def.kind}`, response: kindSchema, body: kindSchema, query: writeQuery, gvk: subGVK });
    op({ path, method: 'patch', action: 'patch', operationId: `patch${gv}${ns}${def.kind}${Sub}`, description: `partially update ${name} of the specified ${def.kind}`, response: kindSchema, query: [...writeQuery, 'force'], patchTypes, gvk: subGVK });
  };
  if (def.subresources.status) sub('status', names.kind, gvk);
  if (def.subresources.scale) sub('scale', SCALE, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  return { ops, params };
}

// ---- rendering --------------------------------------------------------------------------------------------

const responseTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function v3Operation(o: Operation): JSONObject {
  const ref = { $ref: `${componentRefPrefix}${o.response}` };
  const out: JSONObject = {
    tags: [o.operationId.replace(/^[a-z]+/, '')],
    description: o.description,
    operationId: o.operationId,
    parameters: o.query.map((name) => ({ name, in: 'query', description: queryParamDocs[name].description, schema: { type: queryParamDocs[name].type, uniqueItems: true } })),
    responses: {
      '200': { description: 'OK', content: Object.fromEntries(responseTypes.map((t) => [t, { schema: ref }])) },
      ...(o.method === 'post' ? { '201': { description: 'Created', content: Object.fromEntries(responseTypes.map((t) => [t, { schema: ref }])) }, '202': { description: 'Accepted', content: Object.fromEntries(responseTypes.map((t) => [t, { schema: ref }])) } } : {}),
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': o.gvk,
  };
  if (o.patchTypes) {
    out.requestBody = { content: Object.fromEntries(o.patchTypes.map((t) => [t, { schema: { $ref: `${componentRefPrefix}${META}.Patch` } }])), required: true };
  } else if (o.body) {
    out.requestBody = { content: { '*/*': { schema: { $ref: `${componentRefPrefix}${o.body}` } } }, required: o.method !== 'delete' };
  }
  return out;
}

function v3PathParams(params: PathParam[]): JSONObject[] {
  return params.map((p) => ({ name: p.name, in: 'path', description: p.description, required: true, schema: { type: 'string', uniqueItems: true } }));
}

function v2Operation(o: Operation): JSONObject {
  const ref = { $ref: `#/definitions/${o.response}` };
  const parameters: JSONObject[] = o.query.map((name) => ({ uniqueItems: true, type: queryParamDocs[name].type, description: queryParamDocs[name].description, name, in: 'query' }));
  if (o.patchTypes) parameters.unshift({ name: 'body', in: 'body', required: true, schema: { $ref: `#/definitions/${META}.Patch` } });
  else if (o.body) parameters.unshift({ name: 'body', in: 'body', required: o.method !== 'delete', schema: { $ref: `#/definitions/${o.body}` } });
  const out: JSONObject = {
    description: o.description,
    consumes: o.patchTypes ?? ['*/*'],
    produces: responseTypes,
    schemes: ['https'],
    tags: [o.operationId.replace(/^[a-z]+/, '')],
    operationId: o.operationId,
    parameters,
    responses: { '200': { description: 'OK', schema: ref }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': o.gvk,
  };
  return out;
}

/** Rewrites a v3 schema for Swagger 2.0: `#/definitions/` refs, no `allOf` wrappers, no `nullable`. */
function toV2Schema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toV2Schema);
  if (!node || typeof node !== 'object') return node;
  const obj = node as JSONObject;
  const out: JSONObject = {};
  const allOf = obj.allOf as Schema[] | undefined;
  const wrapped = allOf?.length === 1 && allOf[0].$ref && !obj.properties && !obj.type;
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'nullable') continue;
    if (k === 'allOf' && wrapped) out.$ref = String(allOf![0].$ref).replace(componentRefPrefix, '#/definitions/');
    else if (k === '$ref' && typeof v === 'string') out.$ref = v.replace(componentRefPrefix, '#/definitions/');
    else if (k === 'default' || k === 'enum' || k === 'example') out[k] = v;
    else out[k] = toV2Schema(v);
  }
  return out;
}

function hashOf(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

// ---- the service ------------------------------------------------------------------------------------------

interface V3Doc {
  body: string;
  hash: string;
}

/**
 * Serves the OpenAPI documents of whatever resources are currently served. Documents are built on
 * first request and kept until setChanged() (call it whenever the set of resources or a CRD changes).
 */
export class OpenAPIService {
  private v3Docs?: Map<string, V3Doc>;
  private v2?: string;

  constructor(private readonly getResources: () => ResourceDef[]) {}

  setChanged(): void {
    this.v3Docs = undefined;
    this.v2 = undefined;
  }

  /** GET /openapi/v3 */
  v3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [gv, doc] of this.documents()) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${doc.hash}` };
    return { paths };
  }

  /** GET /openapi/v3/<gvPath> ("api/v1", "apis/apps/v1"); undefined when no such group-version is served. */
  v3Document(gvPath: string): V3Doc | undefined {
    return this.documents().get(gvPath.replace(/^\/+|\/+$/g, ''));
  }

  /** GET /openapi/v2 with a JSON Accept */
  v2Json(): string {
    this.v2 ??= JSON.stringify(this.buildV2());
    return this.v2;
  }

  /** GET /openapi/v2 asking for protobuf: an empty (valid) gnostic Document, which kubectl accepts. */
  v2Protobuf(): { contentType: string; body: Buffer } {
    return { contentType: openAPIV2ProtobufContentType, body: Buffer.alloc(0) };
  }

  private documents(): Map<string, V3Doc> {
    if (!this.v3Docs) {
      const docs = new Map<string, V3Doc>();
      for (const [gv, defs] of this.byGroupVersion()) {
        const body = JSON.stringify(this.buildV3(defs));
        docs.set(gv, { body, hash: hashOf(body) });
      }
      this.v3Docs = docs;
    }
    return this.v3Docs;
  }

  private byGroupVersion(): Map<string, ResourceDef[]> {
    const out = new Map<string, ResourceDef[]>();
    const sorted = [...this.getResources()].sort((a, b) => groupVersionPath(a.group, a.version).localeCompare(groupVersionPath(b.group, b.version)) || a.resource.localeCompare(b.resource));
    for (const def of sorted) {
      const gv = groupVersionPath(def.group, def.version);
      out.set(gv, [...(out.get(gv) ?? []), def]);
    }
    return out;
  }

  /** Paths and the component schemas they need, for some resources. */
  private collect(defs: ResourceDef[]): { ops: Operation[]; params: Map<string, PathParam[]>; schemas: Record<string, Schema> } {
    const builtins = builtinSchemas();
    const all: Record<string, Schema> = { ...builtins };
    const ops: Operation[] = [];
    const params = new Map<string, PathParam[]>();
    const roots = new Set([`${META}.Status`, `${META}.DeleteOptions`, `${META}.Patch`, `${META}.ListMeta`, `${META}.WatchEvent`]);
    for (const def of defs) {
      const names = kindSchemas(def, builtins);
      Object.assign(all, names.own);
      roots.add(names.kind);
      if (names.list) roots.add(names.list);
      if (def.subresources.scale) roots.add(SCALE);
      const r = resourceOperations(def, names);
      ops.push(...r.ops);
      for (const [p, v] of r.params) params.set(p, v);
    }
    const schemas: Record<string, Schema> = {};
    for (const name of [...reachable([...roots], all)].sort()) schemas[name] = all[name];
    return { ops, params, schemas };
  }

  private buildV3(defs: ResourceDef[]): JSONObject {
    const { ops, params, schemas } = this.collect(defs);
    const paths: Record<string, JSONObject> = {};
    for (const [path, p] of params) paths[path] = { parameters: v3PathParams(p) };
    for (const o of ops) paths[o.path][o.method] = v3Operation(o);
    return {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.32.4' },
      paths,
      components: {
        schemas,
        securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
      },
    };
  }

  private buildV2(): JSONObject {
    const { ops, params, schemas } = this.collect(this.getResources());
    const paths: Record<string, JSONObject> = {};
    for (const [path, p] of params) paths[path] = { parameters: p.map((x) => ({ uniqueItems: true, type: 'string', description: x.description, name: x.name, in: 'path', required: true })) };
    for (const o of ops) paths[o.path][o.method] = v2Operation(o);
    return {
      swagger: '2.0',
      info: { title: 'Kubernetes', version: 'v1.32.4' },
      paths,
      definitions: toV2Schema(schemas),
      securityDefinitions: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
      security: [{ BearerToken: [] }],
    };
  }
}
