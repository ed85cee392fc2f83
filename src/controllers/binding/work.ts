// Writing a rendered Work (Karmada's ctrlutil.CreateOrUpdateWork), for every controller that makes
// Works (binding, namespace sync): create it, or merge it into the live Work and replace that. A Work
// being deleted is not written (the caller retries once it is gone); a Work keeps its permanent id.
import { isAlreadyExists, isConflict, isNotFound } from '../../apimachinery/errors.js';
import { workGVR } from '../../apis/karmada/gvr.js';
import { WorkPermanentIDLabel, type Work } from '../../apis/karmada/work.js';
import type { KubeClient } from '../../runtime/client.js';
import { objectKey } from '../../runtime/informer.js';
import { recentWritesPerClient } from '../../runtime/recent-writes.js';
import { mergeWork } from './render.js';

/** the Works each client wrote lately, by namespace/name: a binding reconciled again before the
 * informer caught up with its Works neither creates them again (409) nor reads them */
const recentWorks = recentWritesPerClient<Work>();

function rememberWork(client: KubeClient, work: Work): void {
  recentWorks(client).remember(objectKey(work), work);
}

/**
 * the freshest copy we know: the informer's, or what our own last write of it returned when that is
 * newer. Our write stands in for a Work the informer does not hold only while the informer has not
 * reached it (`seenUpTo`, its last resourceVersion): past it, the Work was deleted since (a remedy,
 * a user) and is created again.
 */
function knownWork(client: KubeClient, key: string, cached: Work | undefined, seenUpTo: string | undefined): Work | undefined {
  return cached ? recentWorks(client).freshest(key, cached) : recentWorks(client).newerThan(key, seenUpTo);
}

/**
 * `cached`: the Work as the informer has it (undefined: not seen, so try creating first). The merge
 * starts from the cached Work (or the answer of our own last write of it, when the informer is
 * behind), as Karmada's controller-runtime client reads it from its cache; a stale copy meets a 409
 * and the merge is made again from the live Work. `seenUpTo`: the informer's last resourceVersion, for
 * a Work it does not hold yet (without it, such a Work is created first).
 */
export async function createOrUpdateWork(client: KubeClient, work: Work, cached: Work | undefined, seenUpTo?: string): Promise<void> {
  const known = knownWork(client, objectKey(work), cached, seenUpTo);
  if (known) {
    try {
      return await updateWork(client, work, known);
    } catch (err) {
      if (!isConflict(err) && !isNotFound(err)) throw err;
    }
  } else {
    try {
      rememberWork(client, await client.create(work, { namespace: work.metadata.namespace, shareAnswer: true }));
      return;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  let live: Work;
  try {
    live = await client.get<Work>(workGVR, work.metadata.name, { namespace: work.metadata.namespace });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    rememberWork(client, await client.create(work, { namespace: work.metadata.namespace, shareAnswer: true }));
    return;
  }
  await updateWork(client, work, live);
}

/** merges the rendered Work into `existing` and replaces it when that changes anything */
async function updateWork(client: KubeClient, rendered: Work, existing: Work): Promise<void> {
  if (existing.metadata.deletionTimestamp) throw new Error(`work ${existing.metadata.namespace}/${existing.metadata.name} is being deleted`);
  // keep the permanent id the Work already has, on the Work and in its manifest
  const work = withPermanentId(rendered, existing.metadata.labels?.[WorkPermanentIDLabel]);
  const merged = mergeWork(existing, work);
  if (!merged) return;
  if (work.metadata.ownerReferences) merged.metadata = { ...merged.metadata, ownerReferences: work.metadata.ownerReferences };
  rememberWork(client, await client.replace(merged, { shareAnswer: true }));
}

function withPermanentId(work: Work, id: string | undefined): Work {
  if (!id || id === work.metadata.labels?.[WorkPermanentIDLabel]) return work;
  const [first, ...rest] = work.spec.workload?.manifests ?? [];
  const manifests = first?.metadata.labels ? [{ ...first, metadata: { ...first.metadata, labels: { ...first.metadata.labels, [WorkPermanentIDLabel]: id } } }, ...rest] : undefined;
  return {
    ...work,
    metadata: { ...work.metadata, labels: { ...work.metadata.labels, [WorkPermanentIDLabel]: id } },
    ...(manifests ? { spec: { ...work.spec, workload: { ...work.spec.workload, manifests } } } : {}),
  };
}
