// How an object or a list goes back to the client: as itself, as a meta.k8s.io Table (kubectl get's
// human output), or as PartialObjectMetadata, chosen from the Accept header; and in JSON or (built-in
// kinds) protobuf, the first media type of the Accept header this resource can be served as.
import type { IncomingMessage } from 'node:http';
import type { ResourceDef } from '../../apis/resource.js';
import { toTable, type IncludeObject } from '../../apis/tables/table.js';
import { errors } from '../../apimachinery/errors.js';
import type { KubeList, KubeObject } from '../../apimachinery/types.js';

export type Encoding = 'json' | 'protobuf';
export type Rendering = ({ kind: 'object' } | { kind: 'table'; includeObject: IncludeObject } | { kind: 'metadata' }) & { encoding: Encoding };

/** `protobuf`: whether this resource has a protobuf form (built-ins do, custom resources do not). */
export function rendering(req: IncomingMessage, q: URLSearchParams, protobuf = false): Rendering {
  const accept = req.headers.accept ?? '';
  for (const part of accept.split(',')) {
    const isProtobuf = /application\/vnd\.kubernetes\.protobuf/.test(part);
    if (/as=Table/.test(part) && /g=meta\.k8s\.io/.test(part)) {
      // kube-apiserver has no protobuf form of Table: such a part is skipped for the next
      if (isProtobuf) continue;
      const include = q.get('includeObject');
      return { kind: 'table', includeObject: include === 'None' || include === 'Object' ? include : 'Metadata', encoding: 'json' };
    }
    if (/as=PartialObjectMetadata(List)?/.test(part) && /g=meta\.k8s\.io/.test(part)) return { kind: 'metadata', encoding: isProtobuf ? 'protobuf' : 'json' };
    if (isProtobuf) {
      if (protobuf) return { kind: 'object', encoding: 'protobuf' };
      continue;
    }
    if (/application\/json|\*\/\*|application\/\*|application\/yaml/.test(part) || !part.trim()) return { kind: 'object', encoding: 'json' };
  }
  if (!accept) return { kind: 'object', encoding: 'json' };
  throw errors.notAcceptable(protobuf ? ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] : ['application/json', 'application/yaml']);
}

export function renderOne(def: ResourceDef, obj: KubeObject, how: Rendering): unknown {
  if (how.kind === 'table') return toTable(def, [obj], { now: new Date(), includeObject: how.includeObject, listMeta: { resourceVersion: obj.metadata.resourceVersion } });
  if (how.kind === 'metadata') return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
  return obj;
}

export function renderList(def: ResourceDef, list: KubeList, how: Rendering): unknown {
  if (how.kind === 'table') return toTable(def, list.items, { now: new Date(), includeObject: how.includeObject, listMeta: list.metadata });
  if (how.kind === 'metadata') {
    return {
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata: list.metadata,
      items: list.items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })),
    };
  }
  return list;
}
