// Writing a rendered Work (Karmada's ctrlutil.CreateOrUpdateWork), for every controller that makes
// Works (binding, namespace sync): create it, or merge it into the live Work and replace that. A Work
// being deleted is not written (the caller retries once it is gone); a Work keeps its permanent id.
import { isAlreadyExists } from '../../apimachinery/errors.js';
import { workGVR } from '../../apis/karmada/gvr.js';
import { WorkPermanentIDLabel, type Work } from '../../apis/karmada/work.js';
import type { KubeClient } from '../../runtime/client.js';
import { mergeWork } from './render.js';

/** `cached`: the Work as the informer has it (undefined: not seen, so try creating first) */
export async function createOrUpdateWork(client: KubeClient, work: Work, cached: Work | undefined): Promise<void> {
  if (!cached) {
    try {
      await client.create(work, { namespace: work.metadata.namespace });
      return;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  const existing = await client.get<Work>(workGVR, work.metadata.name, { namespace: work.metadata.namespace });
  if (existing.metadata.deletionTimestamp) throw new Error(`work ${existing.metadata.namespace}/${existing.metadata.name} is being deleted`);
  // keep the permanent id the Work already has, on the Work and in its manifest
  const id = existing.metadata.labels?.[WorkPermanentIDLabel];
  if (id && id !== work.metadata.labels?.[WorkPermanentIDLabel]) {
    work.metadata.labels = { ...work.metadata.labels, [WorkPermanentIDLabel]: id };
    const m = work.spec.workload?.manifests?.[0];
    if (m?.metadata.labels) m.metadata.labels[WorkPermanentIDLabel] = id;
  }
  const merged = mergeWork(existing, work);
  if (!merged) return;
  if (work.metadata.ownerReferences) merged.metadata = { ...merged.metadata, ownerReferences: work.metadata.ownerReferences };
  await client.replace(merged);
}
