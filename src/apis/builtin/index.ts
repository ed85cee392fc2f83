// The built-in resource catalog and lookups over it.
import type { ResourceDef } from '../resource.js';
import { builtinResources } from './catalog.js';

export { builtinResources };

const byGVR = new Map(builtinResources.map((d) => [`${d.group}/${d.version}/${d.resource}`, d]));

/** The built-in resource served at group/version/resource ("" for the core group). */
export function findBuiltin(group: string, version: string, resource: string): ResourceDef | undefined {
  return byGVR.get(`${group}/${version}/${resource}`);
}

/** The built-in resource for a kind; without a version, the group's preferred (first listed) one. */
export function findBuiltinByKind(group: string, kind: string, version?: string): ResourceDef | undefined {
  return builtinResources.find((d) => d.group === group && d.kind === kind && (version === undefined || d.version === version));
}

/** Every version of a resource that shares `def`'s storage (autoscaling v1/v2 HPAs, core and events.k8s.io Events). */
export function sharingStorage(def: ResourceDef): ResourceDef[] {
  const s = def.storage;
  return builtinResources.filter((d) => d.storage.group === s.group && d.storage.resource === s.resource);
}
