// Where objects live in the store, as kube-apiserver lays them out in etcd:
// /registry/<resource>/<ns>/<name> for the core group, /registry/<group>/<resource>/<ns>/<name> otherwise.
import type { ResourceDef } from '../../apis/resource.js';

export function resourcePrefix(def: Pick<ResourceDef, 'storage'>): string {
  const { group, resource } = def.storage;
  return group ? `/registry/${group}/${resource}/` : `/registry/${resource}/`;
}

/** prefix of a collection: all namespaces when ns is empty */
export function collectionPrefix(def: Pick<ResourceDef, 'storage' | 'namespaced'>, namespace?: string): string {
  const base = resourcePrefix(def);
  return def.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(def: Pick<ResourceDef, 'storage' | 'namespaced'>, namespace: string | undefined, name: string): string {
  const base = resourcePrefix(def);
  return def.namespaced ? `${base}${namespace}/${name}` : `${base}${name}`;
}
