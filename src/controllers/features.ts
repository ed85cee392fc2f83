// Karmada's feature gates (pkg/features) that change what the controllers do, and the
// `--feature-gates=A=true,B=false` flag that sets them, with component-base's errors.

/**
 * the gates the controller manager knows, with their defaults as in Karmada v1.19, except Failover:
 * on here (Karmada: off), since moving workloads off failed clusters is why users go multi-cluster
 */
export const defaultFeatureGates = {
  /** cluster taint policies and NoExecute eviction by the taint manager; application failover */
  Failover: true,
  /** evicted clusters keep their copy until the new one is healthy (gracefulEvictionTasks) */
  GracefulEviction: true,
  /** workloadAffinityGroups on bindings, so the scheduler can co-locate or separate workloads */
  WorkloadAffinity: false,
  /** replicaRequirements.namespace on bindings, for the ResourceQuota estimate */
  ResourceQuotaEstimate: false,
  /** bindings carry spec.components from the interpreter's InterpretComponent (componentResource) */
  MultiplePodTemplatesScheduling: false,
  /** FederatedResourceQuota overall enforced on bindings: overallUsed from bindings, writes past it refused (on in the playground) */
  FederatedQuotaEnforcement: false,
  /** MultiClusterService (multiclusterservice, endpointsliceCollect, endpointsliceDispatch controllers; on in the playground) */
  MultiClusterService: false,
} as const;

type FeatureGate = keyof typeof defaultFeatureGates;
export type FeatureGates = Record<FeatureGate, boolean>;

/** parses `A=true,B=false` over the defaults; throws with component-base's message on a bad entry */
export function parseFeatureGates(text: string | undefined, defaults: FeatureGates = defaultFeatureGates): FeatureGates {
  const gates = { ...defaults };
  for (const entry of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq < 0) throw new Error(`missing bool value for ${entry}`);
    const name = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim().toLowerCase();
    if (!(name in gates)) throw new Error(`unrecognized feature gate: ${name}`);
    if (value !== 'true' && value !== 'false') throw new Error(`invalid value of ${name}=${entry.slice(eq + 1)}, err: strconv.ParseBool: parsing ${JSON.stringify(entry.slice(eq + 1))}: invalid syntax`);
    gates[name as FeatureGate] = value === 'true';
  }
  return gates;
}
