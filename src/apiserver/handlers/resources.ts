// The REST verbs on resources: HTTP in, ObjectStore calls, JSON (or Table) out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDef } from '../../apis/resource.js';
import { errors, StatusError } from '../../apimachinery/errors.js';
import { applyJsonPatch } from '../../apimachinery/jsonpatch.js';
import { applyMergePatch } from '../../apimachinery/mergepatch.js';
import { applyStrategicMergePatch } from '../../apimachinery/strategicpatch.js';
import { applyServerSide } from '../../apimachinery/managedfields.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { builtinMediaTypes, decodeDocument, mediaType, objectMediaTypes, patchMediaTypes, readBody, requireObjectBody } from '../http/body.js';
import { isProtobuf, servesProtobuf } from '../http/protobuf.js';
import type { ResourceRequest } from '../http/request-info.js';
import { sendObject, warningHeaders } from '../http/respond.js';
import type { RequestContext } from '../rest/context.js';
import { buildFilter } from '../rest/filter.js';
import type { DeleteOptions, ObjectStore, PropagationPolicy } from '../rest/object-store.js';
import { assignPod, bindingSuccess, type Binding } from '../rest/binding.js';
import { scaleOf, setScaleReplicas } from '../rest/scale.js';
import type { SchemaHooks } from '../rest/schema-hooks.js';
import { rendering, renderList, renderOne, type Encoding } from './rendering.js';
import { serveWatch } from './watch.js';

type Query = URLSearchParams;

export interface ResourceHandlerDeps {
  objects: ObjectStore;
  schemas: SchemaHooks;
}

function gr(def: ResourceDef) {
  return { group: def.group, resource: def.resource };
}

/** kube-apiserver's default manager: the User-Agent's program name */
function defaultManager(req: IncomingMessage): string {
  const ua = req.headers['user-agent'] ?? '';
  const name = ua.split('/')[0].trim();
  return name || 'unknown';
}

export function requestContext(req: IncomingMessage, q: Query): RequestContext {
  const dryRun = q.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw errors.badRequest(`unsupported dryRun value: ${JSON.stringify(d)}; supported values: "All"`);
  const fv = q.get('fieldValidation') ?? 'Warn';
  const fieldValidation = fv === 'Strict' || fv === 'Ignore' || fv === 'Warn' ? fv : undefined;
  if (!fieldValidation) throw errors.badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got ${JSON.stringify(fv)}`);
  const fieldManager = q.get('fieldManager') ?? undefined;
  if (fieldManager && fieldManager.length > 128) throw errors.invalidMessage('fieldManager: Too long: may not be more than 128 bytes', [{ reason: 'FieldValueTooLong', field: 'fieldManager' }]);
  return {
    dryRun: dryRun.length > 0,
    fieldManager: fieldManager ?? defaultManager(req),
    fieldValidation,
    warnings: [],
    clientGone: () => req.socket?.destroyed === true,
    // every handler only renders what a write returns
    readsResultOnly: true,
  };
}

function respond(res: ServerResponse, code: number, body: unknown, encoding: Encoding, ctx?: RequestContext): void {
  const warnings = warningHeaders(ctx?.warnings);
  if (warnings.length) res.setHeader('Warning', warnings);
  sendObject(res, code, body, encoding);
}

/** A create or update body: JSON or YAML, or protobuf for built-in kinds (custom resources get 415, as in Kubernetes). */
function decodeObject(def: ResourceDef, body: Buffer, type: string): KubeObject {
  const accepted = servesProtobuf(def) ? builtinMediaTypes : objectMediaTypes;
  if (!accepted.includes(type)) throw errors.unsupportedMediaType(type, accepted);
  const obj = requireObjectBody(decodeDocument(body, type, 'the request body', isProtobuf(type) ? def.schemaName : undefined)) as KubeObject;
  checkKind(def, obj);
  obj.metadata ??= {};
  if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw errors.badRequest('metadata must be an object');
  return obj;
}

/** A patch may not rename an object or move it to another namespace (kube-apiserver's checkName). */
function checkPatchedIdentity(obj: KubeObject, name: string, ns: string | undefined): void {
  if (obj.metadata.name !== name) throw errors.badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${name})`);
  if (ns !== undefined && obj.metadata.namespace !== undefined && obj.metadata.namespace !== ns) {
    throw errors.badRequest(`the namespace of the object (${String(obj.metadata.namespace)}) does not match the namespace on the URL (${ns})`);
  }
}

function checkKind(def: ResourceDef, obj: KubeObject): void {
  const expectApiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectApiVersion}) or the kind (${obj.kind}) does not match ${def.kind}`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectApiVersion) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectApiVersion})`);
  }
}

const deleteOptionsSchema = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

function parseDeleteOptions(body: Buffer, q: Query, type = 'application/json'): DeleteOptions {
  let opts: DeleteOptions = {};
  if (isProtobuf(type) && body.length) {
    opts = requireObjectBody(decodeDocument(body, type, 'the DeleteOptions body', deleteOptionsSchema)) as DeleteOptions;
  } else if (body.length && body.toString('utf8').trim()) {
    opts = requireObjectBody(decodeDocument(body, 'application/json', 'the DeleteOptions body')) as DeleteOptions;
  }
  const policy = q.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as PropagationPolicy;
  if (q.get('orphanDependents')) opts.orphanDependents = q.get('orphanDependents') === 'true';
  if (opts.propagationPolicy && !['Background', 'Foreground', 'Orphan'].includes(opts.propagationPolicy)) {
    throw errors.invalidMessage(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`, [
      { reason: 'FieldValueNotSupported', field: 'propagationPolicy' },
    ]);
  }
  if (opts.propagationPolicy && opts.orphanDependents !== undefined) {
    throw errors.invalidMessage('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' + opts.propagationPolicy + '": orphanDependents and deletionPropagation cannot be both set', [
      { reason: 'FieldValueInvalid', field: 'propagationPolicy' },
    ]);
  }
  return opts;
}

function positiveInt(q: Query, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw errors.badRequest(`invalid ${name}: ${JSON.stringify(v)}: must be a non-negative integer`);
  return Number(v);
}

export class ResourceHandler {
  constructor(private readonly deps: ResourceHandlerDeps) {}

  async handle(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, def: ResourceDef, q: Query): Promise<void> {
    const method = req.method ?? 'GET';
    const ns = def.namespaced ? info.namespace : undefined;
    if (!def.namespaced && info.namespace) throw errors.pathNotFound();
    const sub = info.subresource;
    if (sub && !this.subresourceServed(def, sub)) throw errors.pathNotFound();
    const how = rendering(req, q, servesProtobuf(def));
    const enc = how.encoding;
    if (!info.name) return this.collection(req, res, def, ns, q, method);
    if (sub === 'binding') return this.bind(req, res, def, ns, info.name, q, method, enc);
    const verb = { GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method];
    if (!verb || (sub === undefined && !def.verbs.includes(verb)) || (sub && verb === 'delete')) {
      throw errors.methodNotSupported(gr(def), verb ?? method.toLowerCase());
    }
    if (sub === 'scale') return this.scale(req, res, def, ns, info.name, q, method, enc);
    switch (method) {
      case 'GET': {
        const obj = await this.deps.objects.get(def, ns, info.name);
        return respond(res, 200, renderOne(def, obj, how), enc);
      }
      case 'PUT': {
        const ctx = requestContext(req, q);
        const body = await readBody(req);
        const obj = decodeObject(def, body, mediaType(req));
        if (sub === 'finalize') return respond(res, 200, await this.finalizeNamespace(def, info.name, obj, ctx), enc, ctx);
        // the body decoded here is read by nothing else
        ctx.ownsInput = true;
        const out = await this.deps.objects.update(def, ns, info.name, obj, ctx, sub);
        return respond(res, 200, out, enc, ctx);
      }
      case 'PATCH': {
        const ctx = requestContext(req, q);
        const body = await readBody(req);
        const { object, created } = await this.patch(def, ns, info.name, mediaType(req), body, ctx, q, sub);
        return respond(res, created ? 201 : 200, object, enc, ctx);
      }
      case 'DELETE': {
        const ctx = requestContext(req, q);
        const opts = parseDeleteOptions(await readBody(req), q, mediaType(req));
        const out = await this.deps.objects.delete(def, ns, info.name, opts, ctx);
        return respond(res, 200, out.deleted ? (out.status ?? out.object) : out.object, enc, ctx);
      }
    }
  }

  private subresourceServed(def: ResourceDef, sub: string): boolean {
    if (sub === 'status') return !!def.subresources.status;
    if (sub === 'scale') return !!def.subresources.scale;
    if (sub === 'finalize') return def.group === '' && def.resource === 'namespaces';
    if (sub === 'binding') return def.group === '' && def.resource === 'pods';
    return false;
  }

  private async collection(req: IncomingMessage, res: ServerResponse, def: ResourceDef, ns: string | undefined, q: Query, method: string): Promise<void> {
    switch (method) {
      case 'GET': {
        const watch = q.get('watch');
        const filter = buildFilter(def, q.get('labelSelector') ?? undefined, q.get('fieldSelector') ?? undefined);
        if (watch === 'true' || watch === '1') {
          if (!def.verbs.includes('watch')) throw errors.methodNotSupported(gr(def), 'watch');
          return serveWatch(req, res, def, ns, q, filter, this.deps.objects, rendering(req, q, servesProtobuf(def)));
        }
        if (!def.verbs.includes('list')) throw errors.methodNotSupported(gr(def), 'list');
        if (q.get('sendInitialEvents')) {
          throw errors.invalidMessage('sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list', [{ reason: 'FieldValueForbidden', field: 'sendInitialEvents' }]);
        }
        const how = rendering(req, q, servesProtobuf(def));
        const rvm = q.get('resourceVersionMatch');
        if (rvm && rvm !== 'Exact' && rvm !== 'NotOlderThan') {
          throw errors.invalidMessage(`resourceVersionMatch: Unsupported value: "${rvm}": supported values: "Exact", "NotOlderThan"`, [{ reason: 'FieldValueNotSupported', field: 'resourceVersionMatch' }]);
        }
        const list = await this.deps.objects.list(def, ns, {
          filter,
          limit: positiveInt(q, 'limit'),
          continue: q.get('continue') ?? undefined,
          resourceVersion: q.get('resourceVersion') ?? undefined,
          resourceVersionMatch: (rvm as 'Exact' | 'NotOlderThan' | null) ?? undefined,
        });
        return respond(res, 200, renderList(def, list, how), how.encoding);
      }
      case 'POST': {
        if (!def.verbs.includes('create')) throw errors.methodNotSupported(gr(def), 'create');
        const ctx = requestContext(req, q);
        const body = await readBody(req);
        const obj = decodeObject(def, body, mediaType(req));
        ctx.ownsInput = true;
        const out = await this.deps.objects.create(def, ns, obj, ctx);
        return respond(res, 201, out, rendering(req, q, servesProtobuf(def)).encoding, ctx);
      }
      case 'DELETE': {
        if (!def.verbs.includes('deletecollection')) throw errors.methodNotSupported(gr(def), 'deletecollection');
        const ctx = requestContext(req, q);
        const opts = parseDeleteOptions(await readBody(req), q, mediaType(req));
        const filter = buildFilter(def, q.get('labelSelector') ?? undefined, q.get('fieldSelector') ?? undefined);
        const list = await this.deps.objects.list(def, ns, { filter });
        const items: KubeObject[] = [];
        for (const item of list.items) {
          try {
            const out = await this.deps.objects.delete(def, item.metadata.namespace, item.metadata.name!, opts, ctx);
            if (out.object) items.push(out.object);
          } catch (err) {
            if (!(err instanceof StatusError && err.code === 404)) throw err;
          }
        }
        return respond(res, 200, { ...list, items }, rendering(req, q, servesProtobuf(def)).encoding, ctx);
      }
      default:
        throw errors.methodNotSupported(gr(def), method.toLowerCase());
    }
  }

  /** Applies a patch of any supported type to the current object and writes it through the update path. */
  async patch(def: ResourceDef, ns: string | undefined, name: string, type: string, body: Buffer, ctx: RequestContext, q: Query, sub?: string): Promise<{ object: KubeObject; created: boolean }> {
    if (!patchMediaTypes.includes(type)) throw errors.unsupportedMediaType(type, patchMediaTypes);
    if (type === 'application/strategic-merge-patch+json' && !def.strategicMergePatch) {
      throw errors.unsupportedMediaType(type, patchMediaTypes.filter((t) => t !== 'application/strategic-merge-patch+json'));
    }
    const force = q.get('force');
    if (force && type !== 'application/apply-patch+yaml') throw errors.badRequest('force is only allowed for apply patches');
    const patch = decodeDocument(body, type === 'application/apply-patch+yaml' ? 'application/yaml' : 'application/json', 'the patch');
    const objects = this.deps.objects;
    if (type === 'application/apply-patch+yaml') {
      if (!q.get('fieldManager')) {
        throw errors.invalidMessage('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', [{ reason: 'FieldValueRequired', field: 'fieldManager' }]);
      }
      const applied = requireObjectBody(patch) as KubeObject;
      checkKind(def, applied);
      applied.metadata ??= {};
      if (applied.metadata.name && applied.metadata.name !== name) throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
      const schema = this.deps.schemas.schemaFor(def);
      const run = (live: KubeObject | undefined) =>
        applyServerSide({
          live,
          applied,
          manager: ctx.fieldManager!,
          force: force === 'true',
          schema,
          resolve: this.deps.schemas.resolve,
          apiVersion: applied.apiVersion ?? (def.group ? `${def.group}/${def.version}` : def.version),
          now: new Date(),
          subresource: sub,
        });
      const applyCtx: RequestContext = { ...ctx, managedFieldsSet: true };
      const result = await objects.guaranteedUpdate(
        def,
        ns,
        name,
        applyCtx,
        (current) => {
          const { object, managedFields } = run(current);
          object.metadata.managedFields = managedFields;
          if (!applied.metadata.resourceVersion) delete object.metadata.resourceVersion;
          return object;
        },
        {
          subresource: sub,
          createIfMissing: sub
            ? undefined
            : () => {
                const { object, managedFields } = run(undefined);
                object.metadata.name = name;
                object.metadata.managedFields = managedFields;
                return object;
              },
        },
      );
      ctx.warnings = applyCtx.warnings;
      return result;
    }
    return objects.guaranteedUpdate(def, ns, name, ctx, (current) => {
      let patched: unknown;
      if (type === 'application/json-patch+json') patched = applyJsonPatch(current, patch);
      else if (type === 'application/merge-patch+json') patched = applyMergePatch(current, requireObjectBody(patch));
      else patched = applyStrategicMergePatch(current, requireObjectBody(patch), this.deps.schemas.schemaFor(def), this.deps.schemas.resolve);
      const obj = requireObjectBody(patched) as KubeObject;
      if (!obj.metadata || typeof obj.metadata !== 'object') throw errors.badRequest('the patch removed metadata');
      checkKind(def, obj);
      checkPatchedIdentity(obj, name, ns);
      // a patch that names the current resourceVersion (or none) retries on conflicts; another one is a precondition
      if (obj.metadata.resourceVersion === current.metadata.resourceVersion) {
        // a merge patch that leaves metadata alone shares it with current, which is read-only here
        obj.metadata = { ...obj.metadata };
        delete obj.metadata.resourceVersion;
      }
      return obj;
      // every patch function returns a new document and leaves current as it is (the update copies what it keeps)
    }, { subresource: sub, readsCurrent: true });
  }

  private async scale(req: IncomingMessage, res: ServerResponse, def: ResourceDef, ns: string | undefined, name: string, q: Query, method: string, enc: Encoding): Promise<void> {
    const objects = this.deps.objects;
    if (method === 'GET') return respond(res, 200, scaleOf(def, await objects.get(def, ns, name)), enc);
    if (method !== 'PUT' && method !== 'PATCH') throw errors.methodNotSupported(gr(def), method.toLowerCase());
    const ctx = requestContext(req, q);
    const body = await readBody(req);
    const type = mediaType(req);
    const { object } = await objects.guaranteedUpdate(def, ns, name, ctx, (current) => {
      const scale = scaleOf(def, current);
      let desired: KubeObject;
      if (method === 'PUT') desired = requireObjectBody(decodeDocument(body, type)) as KubeObject;
      else if (type === 'application/json-patch+json') desired = applyJsonPatch(scale, decodeDocument(body, 'application/json')) as KubeObject;
      else if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') desired = applyMergePatch(scale, requireObjectBody(decodeDocument(body, 'application/json'))) as KubeObject;
      else throw errors.unsupportedMediaType(type, patchMediaTypes.slice(0, 3));
      const rv = desired.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) throw errors.conflictModified(gr(def), name);
      const replicas = (desired.spec as { replicas?: unknown } | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw errors.invalid('Scale', 'autoscaling', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas ?? null, detail: 'must be greater than or equal to 0' }]);
      }
      const next = setScaleReplicas(def, current, replicas);
      delete next.metadata.resourceVersion;
      return next;
    });
    respond(res, 200, scaleOf(def, object), enc, ctx);
  }

  /** POST pods/NAME/binding: a v1 Binding (JSON, YAML or protobuf) binds the pod; the answer is a Status */
  private async bind(req: IncomingMessage, res: ServerResponse, def: ResourceDef, ns: string | undefined, name: string, q: Query, method: string, enc: Encoding): Promise<void> {
    if (method !== 'POST') throw errors.methodNotSupported({ group: '', resource: 'pods/binding' }, { GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase());
    const ctx = requestContext(req, q);
    const type = mediaType(req);
    if (!builtinMediaTypes.includes(type)) throw errors.unsupportedMediaType(type, builtinMediaTypes);
    const body = await readBody(req);
    const binding = requireObjectBody(decodeDocument(body, type, 'the request body', isProtobuf(type) ? 'io.k8s.api.core.v1.Binding' : undefined)) as Binding;
    await assignPod(this.deps.objects, def, ns, name, binding, ctx);
    respond(res, 201, bindingSuccess, enc, ctx);
  }

  private async finalizeNamespace(def: ResourceDef, name: string, input: KubeObject, ctx: RequestContext): Promise<KubeObject> {
    const { object } = await this.deps.objects.guaranteedUpdate(def, undefined, name, ctx, (current) => {
      const finalizers = (input.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
      current.spec = { ...(current.spec as object), finalizers };
      if (!finalizers.length) delete (current.spec as { finalizers?: string[] }).finalizers;
      delete current.metadata.resourceVersion;
      return current;
    });
    return object;
  }
}

