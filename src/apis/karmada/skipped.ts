// What Karmada's resource detector never propagates by default (util.NewSkippedResourceConfig):
// Karmada's own API groups, events (events.k8s.io and the core Event kind) and coordination.k8s.io/v1.
import { appsGroup } from './crds/apps.js';
import { autoscalingGroup } from './crds/autoscaling.js';
import { clusterGroup } from './crds/cluster.js';
import { configGroup } from './crds/config.js';
import { networkingGroup } from './crds/networking.js';
import { policyGroup } from './crds/policy.js';
import { remedyGroup } from './crds/remedy.js';
import { workGroup } from './crds/work.js';

/** Every resource of these groups is skipped; other groups ending in `.karmada.io` are not. */
const skippedPropagatingGroups: ReadonlySet<string> = new Set([
  clusterGroup,
  policyGroup,
  workGroup,
  configGroup,
  networkingGroup,
  autoscalingGroup,
  remedyGroup,
  appsGroup,
  'events.k8s.io',
]);

/** SkippedResourceConfig's defaults for one group/version/kind. */
export function isSkippedByDefault(group: string, version: string, kind: string): boolean {
  if (skippedPropagatingGroups.has(group)) return true;
  if (group === '' && version === 'v1' && kind === 'Event') return true;
  return group === 'coordination.k8s.io' && version === 'v1';
}
