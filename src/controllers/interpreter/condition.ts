// The binding's Interpreted condition (karmada-ts's own; Karmada reports a failed interpretation
// only as an event): set False by the controller whose interpretation of the template failed (the
// detector's GetReplicas/GetComponents, the dependencies distributor's GetDependencies, the binding
// status controller's AggregateStatus), back to True by the same one when it works again.
import type { Condition } from '../../apimachinery/types.js';
import { BindingReasonInterpretationSucceeded, ConditionInterpreted, type ResourceBinding } from '../../apis/karmada/binding.js';
import { clusterResourceBindingGVR, resourceBindingGVR } from '../../apis/karmada/gvr.js';
import type { KubeClient } from '../../runtime/client.js';
import { findCondition, jsonEqual, setCondition, updateStatus } from '../execution/status.js';

/**
 * What the condition should become after an interpretation: False with reasons[0] on an error,
 * True when it was False for one of `reasons` (the caller's own failures); undefined: leave it.
 */
export function nextInterpretedCondition(current: readonly Condition[] | undefined, reasons: readonly string[], error?: string): Condition | undefined {
  if (error !== undefined) return { type: ConditionInterpreted, status: 'False', reason: reasons[0] ?? '', message: `${error}; the binding keeps the last interpretation that worked` };
  const c = findCondition(current, ConditionInterpreted);
  // another interpretation's failure is not ours to clear
  if (!c || c.status !== 'False' || !reasons.includes(c.reason ?? '')) return undefined;
  return { type: ConditionInterpreted, status: 'True', reason: BindingReasonInterpretationSucceeded, message: '' };
}

/**
 * Records the outcome on the binding (by name; `known` saves the read when the caller has it);
 * returns the binding written, undefined when nothing needed writing. A failure to write is the
 * caller's to ignore: the event has said it already.
 */
export async function recordInterpretation(
  client: KubeClient,
  binding: { name: string; namespace?: string; known?: ResourceBinding },
  reasons: readonly string[],
  error?: string,
): Promise<ResourceBinding | undefined> {
  if (error === undefined && binding.known && !nextInterpretedCondition(binding.known.status?.conditions, reasons)) return undefined;
  return await updateStatus<ResourceBinding>(
    client,
    binding.namespace ? resourceBindingGVR : clusterResourceBindingGVR,
    binding.name,
    binding.namespace,
    (b) => {
      if (b.metadata.deletionTimestamp) return false;
      const next = nextInterpretedCondition(b.status?.conditions, reasons, error);
      if (!next) return false;
      const conditions = setCondition(b.status?.conditions, next);
      if (jsonEqual(conditions, b.status?.conditions)) return false;
      b.status = { ...(b.status ?? {}), conditions };
      return true;
    },
    undefined,
    binding.known,
  );
}
