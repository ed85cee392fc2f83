// One Work's status.manifestStatuses from the member objects it manages (Karmada's work status
// controller: reflectStatus, interpretHealth and the identifier of each manifest). Pure.
import type { KubeObject } from '../../apimachinery/types.js';
import type { ManifestStatus, ResourceIdentifier } from '../../apis/karmada/work.js';
import type { ResourceHealth, ResourceInterpreter } from '../../interpreter/types.js';
import { isInterpretationPending } from '../../interpreter/webhook/layer.js';

export interface ObservedManifest {
  ordinal: number;
  /** the plural resource name (discovery) */
  resource: string;
  /** the member object, absent when it does not exist (yet) */
  observed?: KubeObject;
}

export function identifierOf(ordinal: number, resource: string, obj: KubeObject): ResourceIdentifier {
  const apiVersion = obj.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const id: ResourceIdentifier = {
    ordinal,
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind: obj.kind ?? '',
    resource,
    name: obj.metadata?.name ?? '',
  };
  if (slash >= 0) id.group = apiVersion.slice(0, slash);
  if (obj.metadata?.namespace) id.namespace = obj.metadata.namespace;
  return id;
}

interface ReflectFailure {
  obj: KubeObject;
  message: string;
}

/**
 * manifestStatuses in manifest order, one per member object that exists; failures of customizations
 * are reported, not thrown; `pending` when a webhook's answer is still on its way (ask again soon)
 */
export function manifestStatuses(items: readonly ObservedManifest[], interpreter: ResourceInterpreter): { statuses: ManifestStatus[]; failures: ReflectFailure[]; pending: boolean } {
  const statuses: ManifestStatus[] = [];
  const failures: ReflectFailure[] = [];
  let pending = false;
  for (const item of [...items].sort((a, b) => a.ordinal - b.ordinal)) {
    const obj = item.observed;
    if (!obj) continue;
    const entry: ManifestStatus = { identifier: identifierOf(item.ordinal, item.resource, obj) };
    try {
      const status = interpreter.reflectStatus(obj);
      if (status !== undefined) entry.status = status;
    } catch (err) {
      if (isInterpretationPending(err)) pending = true;
      else failures.push({ obj, message: err instanceof Error ? err.message : String(err) });
    }
    let health: ResourceHealth;
    try {
      health = interpreter.interpretHealth(obj);
    } catch (err) {
      if (isInterpretationPending(err)) pending = true;
      health = 'Unknown';
    }
    entry.health = health;
    statuses.push(entry);
  }
  return { statuses, failures, pending };
}
