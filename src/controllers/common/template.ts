// A binding's resource template, read the way Karmada's helper.FetchResourceTemplate does: from the
// informer that already watches it (the detector's) when that holds the version the binding was made
// from or a newer one, else from the API server.
import { isNotFound } from '../../apimachinery/errors.js';
import { compareResourceVersions } from '../../apimachinery/meta.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { ControllerContext } from '../context.js';
import { freshest } from '../execution/status.js';

type ResourceRef = ResourceBinding['spec']['resource'];

/** the template from a running informer, or undefined when none holds a version as new as r's */
export async function cachedTemplate(ctx: ControllerContext, r: ResourceRef): Promise<KubeObject | undefined> {
  if (!r.resourceVersion) return undefined;
  let info;
  try {
    info = await ctx.client.resolve({ apiVersion: r.apiVersion, kind: r.kind });
  } catch {
    return undefined;
  }
  // only an informer someone already runs (the detector's): asking the manager would start a new one
  const inf = ctx.manager.existingInformer(ctx.client, { group: info.group, version: info.version, resource: info.resource });
  if (!inf?.hasSynced) return undefined;
  const cached = inf.get(info.namespaced && r.namespace ? `${r.namespace}/${r.name}` : r.name);
  // our own last write of it, when the informer has not seen that yet
  const obj = cached && freshest(ctx.client, cached);
  if (!obj || obj.metadata.uid !== (r.uid ?? obj.metadata.uid) || !((compareResourceVersions(obj.metadata.resourceVersion, r.resourceVersion) ?? -1) >= 0)) return undefined;
  return { apiVersion: r.apiVersion, kind: r.kind, ...obj };
}

/** the template (cached or live; a copy at the top level only: not to be changed deeper); undefined when it is gone */
export async function fetchResourceTemplate(ctx: ControllerContext, r: ResourceRef): Promise<KubeObject | undefined> {
  const cached = await cachedTemplate(ctx, r);
  if (cached) return cached;
  try {
    const live = await ctx.client.get({ apiVersion: r.apiVersion, kind: r.kind }, r.name, { namespace: r.namespace });
    return { apiVersion: r.apiVersion, kind: r.kind, ...live };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
