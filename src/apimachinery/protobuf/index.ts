// Kubernetes protobuf (application/vnd.kubernetes.protobuf) for built-in types: objects, lists and
// Status in the `k8s\0` + runtime.Unknown envelope, decoded to and encoded from their JSON form
// (apimachinery pkg/runtime/serializer/protobuf).
import { errors, StatusError } from '../errors.js';
import type { Schema } from '../schema.js';
import { decodeMessage, encodeMessage, ProtobufDecodeError, ProtobufEncodeError, setJsonSchemaPropsPlan } from './codec.js';
import { unwrapUnknown, wrapUnknown } from './envelope.js';
import { Planner, type FieldTable } from './plan.js';

export { ProtobufDecodeError, ProtobufEncodeError, formatTime, parseTime } from './codec.js';
export { frame, magic, protobufMediaType, protobufStreamMediaType, readWatchEvent, unframe, unwrapUnknown, watchEvent, wrapUnknown } from './envelope.js';
export { fieldTable, Planner, type FieldTable } from './plan.js';

type Json = Record<string, unknown>;
const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

export class ProtobufCodec {
  private readonly planner: Planner;
  private readonly byGvk = new Map<string, string>();

  constructor(schemas: Record<string, Schema>, facts?: FieldTable) {
    this.planner = new Planner(schemas, facts);
    setJsonSchemaPropsPlan(() => this.planner.plan(`${APIEXT}.JSONSchemaProps`));
    // the package's group, from the kinds that name theirs (io.k8s.api.authentication.v1 -> authentication.k8s.io)
    const groupOf = new Map<string, string>();
    const pkg = (name: string) => name.slice(0, name.lastIndexOf('.'));
    for (const [name, schema] of Object.entries(schemas)) {
      const gvks = (schema as { 'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[] })['x-kubernetes-group-version-kind'];
      if (gvks?.length !== 1 || !this.planner.has(name)) continue;
      const { group, version, kind } = gvks[0];
      this.byGvk.set(`${group ? `${group}/${version}` : version}/${kind}`, name);
      groupOf.set(pkg(name), group ? `${group}/${version}` : version);
    }
    // kinds only subresources return (TokenRequest, Scale, Eviction) carry no GVK in our schemas
    for (const [name, schema] of Object.entries(schemas)) {
      const apiVersion = groupOf.get(pkg(name));
      const kind = name.slice(name.lastIndexOf('.') + 1);
      if (!apiVersion || !schema.properties?.apiVersion || !schema.properties?.kind || !this.planner.has(name)) continue;
      if (!this.byGvk.has(`${apiVersion}/${kind}`)) this.byGvk.set(`${apiVersion}/${kind}`, name);
    }
  }

  /** The schema of a top-level kind, e.g. ("apps/v1", "Deployment") -> io.k8s.api.apps.v1.Deployment. */
  schemaOf(apiVersion: string, kind: string): string | undefined {
    return this.byGvk.get(`${apiVersion}/${kind}`);
  }

  has(schemaName: string): boolean {
    return this.planner.has(schemaName);
  }

  /** The message alone (no envelope). */
  encodeRaw(obj: Json, schemaName: string): Uint8Array {
    return encodeMessage(this.planner.plan(schemaName), obj);
  }

  decodeRaw(raw: Uint8Array, schemaName: string, base = 0): Json {
    return decodeMessage(this.planner.plan(schemaName), raw, '', base);
  }

  /** An object in its envelope; the schema defaults to the object's own apiVersion and kind. */
  encode(obj: Json, schemaName?: string): Buffer {
    const apiVersion = String(obj.apiVersion ?? '');
    const kind = String(obj.kind ?? '');
    const name = schemaName ?? this.schemaOf(apiVersion, kind);
    if (!name || !this.has(name)) throw new ProtobufEncodeError(`${kind || 'this object'} (${apiVersion}) has no protobuf form`);
    return wrapUnknown(apiVersion, kind, this.encodeRaw(obj, name));
  }

  /**
   * A request body: envelope, then the message of `schemaName` (or of the envelope's kind). A malformed
   * body is a 400 that says where; TypeMeta comes from the envelope, as Go's decoder sets it.
   */
  decode(body: Uint8Array, schemaName?: string): Json {
    try {
      const u = unwrapUnknown(body);
      const name = schemaName ?? this.schemaOf(u.apiVersion, u.kind);
      if (!name || !this.has(name)) throw errors.badRequest(`no kind "${u.kind}" is registered for version "${u.apiVersion}" in protobuf`);
      if (u.contentEncoding) throw errors.badRequest(`unsupported protobuf content encoding ${JSON.stringify(u.contentEncoding)}`);
      const obj = this.decodeRaw(u.raw, name, u.rawOffset);
      const out: Json = {};
      if (u.apiVersion) out.apiVersion = u.apiVersion;
      if (u.kind) out.kind = u.kind;
      return Object.assign(out, obj);
    } catch (err) {
      throw asStatusError(err, schemaName);
    }
  }
}

function asStatusError(err: unknown, schemaName?: string): unknown {
  if (err instanceof StatusError) return err;
  const what = schemaName ? ` as ${schemaName.split('.').pop()}` : '';
  if (err instanceof ProtobufDecodeError) return errors.badRequest(`the protobuf body cannot be decoded${what}: ${err.message}`);
  if (err instanceof ProtobufEncodeError) return errors.badRequest(`the object cannot be encoded as protobuf${what}: ${err.message}`);
  return err;
}
