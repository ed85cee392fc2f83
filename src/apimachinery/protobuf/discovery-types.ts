// Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1) and PartialObjectMetadata(List) for the
// protobuf codec: our OpenAPI schemas do not carry these types, so their shape and field numbers
// (k8s.io/api apidiscovery and apimachinery meta/v1 types.go) are here.
import type { Schema } from '../schema.js';
import type { FieldTable } from './plan.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const strings: Schema = { type: 'array', items: str };

function forVersion(version: 'v2' | 'v2beta1'): { schemas: Record<string, Schema>; fields: FieldTable } {
  const pkg = `io.k8s.api.apidiscovery.${version}`;
  const gvk = (kind: string) => ({ 'x-kubernetes-group-version-kind': [{ group: 'apidiscovery.k8s.io', version, kind }] });
  const schemas: Record<string, Schema> = {
    [`${pkg}.APIGroupDiscoveryList`]: {
      type: 'object',
      properties: { apiVersion: str, kind: str, metadata: ref(`${META}.ListMeta`), items: { type: 'array', items: ref(`${pkg}.APIGroupDiscovery`) } },
      ...gvk('APIGroupDiscoveryList'),
    } as Schema,
    [`${pkg}.APIGroupDiscovery`]: {
      type: 'object',
      properties: { apiVersion: str, kind: str, metadata: ref(`${META}.ObjectMeta`), versions: { type: 'array', items: ref(`${pkg}.APIVersionDiscovery`) } },
      ...gvk('APIGroupDiscovery'),
    } as Schema,
    [`${pkg}.APIVersionDiscovery`]: { type: 'object', properties: { version: str, resources: { type: 'array', items: ref(`${pkg}.APIResourceDiscovery`) }, freshness: str } },
    [`${pkg}.APIResourceDiscovery`]: {
      type: 'object',
      properties: {
        resource: str,
        responseKind: ref(`${META}.GroupVersionKind`),
        scope: str,
        singularResource: str,
        verbs: strings,
        shortNames: strings,
        categories: strings,
        subresources: { type: 'array', items: ref(`${pkg}.APISubresourceDiscovery`) },
      },
    },
    [`${pkg}.APISubresourceDiscovery`]: {
      type: 'object',
      properties: { subresource: str, responseKind: ref(`${META}.GroupVersionKind`), acceptedTypes: { type: 'array', items: ref(`${META}.GroupVersionKind`) }, verbs: strings },
    },
  };
  const fields: FieldTable = {
    [`${pkg}.APIGroupDiscoveryList`]: { metadata: 1, items: 2 },
    [`${pkg}.APIGroupDiscovery`]: { metadata: 1, versions: 2 },
    [`${pkg}.APIVersionDiscovery`]: { version: { n: 1, keep: 1 }, resources: 2, freshness: 3 },
    [`${pkg}.APIResourceDiscovery`]: { resource: { n: 1, keep: 1 }, responseKind: { n: 2, ptr: 1 }, scope: { n: 3, keep: 1 }, singularResource: { n: 4, keep: 1 }, verbs: 5, shortNames: 6, categories: 7, subresources: 8 },
    [`${pkg}.APISubresourceDiscovery`]: { subresource: { n: 1, keep: 1 }, responseKind: { n: 2, ptr: 1 }, acceptedTypes: 3, verbs: 4 },
  };
  return { schemas, fields };
}

const v2 = forVersion('v2');
const v2beta1 = forVersion('v2beta1');

const metaGvk = (kind: string) => ({ 'x-kubernetes-group-version-kind': [{ group: 'meta.k8s.io', version: 'v1', kind }] });

export const discoverySchemas: Record<string, Schema> = {
  ...v2.schemas,
  ...v2beta1.schemas,
  [`${META}.GroupVersionKind`]: { type: 'object', properties: { group: str, version: str, kind: str } },
  [`${META}.PartialObjectMetadata`]: { type: 'object', properties: { apiVersion: str, kind: str, metadata: ref(`${META}.ObjectMeta`) }, ...metaGvk('PartialObjectMetadata') } as Schema,
  [`${META}.PartialObjectMetadataList`]: {
    type: 'object',
    properties: { apiVersion: str, kind: str, metadata: ref(`${META}.ListMeta`), items: { type: 'array', items: ref(`${META}.PartialObjectMetadata`) } },
    ...metaGvk('PartialObjectMetadataList'),
  } as Schema,
};

export const discoveryFields: FieldTable = {
  ...v2.fields,
  ...v2beta1.fields,
  [`${META}.GroupVersionKind`]: { group: { n: 1, keep: 1 }, version: { n: 2, keep: 1 }, kind: { n: 3, keep: 1 } },
  [`${META}.PartialObjectMetadata`]: { metadata: 1 },
  [`${META}.PartialObjectMetadataList`]: { metadata: 1, items: 2 },
};
