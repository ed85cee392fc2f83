// The application failover controllers (Karmada's pkg/controllers/applicationfailover, gate
// Failover), one per binding scope: a binding whose policy sets failover.application and whose
// workload is Unhealthy on a cluster for longer than decisionConditions.tolerationSeconds is
// evicted from that cluster (task reason ApplicationFailure, producer ApplicationFailover; purgeMode
// Never keeps the old copy with suppressDeletion; statePreservation labels carried to the new copy).
// Fails safe: an eviction the scheduler could place nowhere waits (EvictionBlocked).
import { jsonEqual } from '../execution/status.js';
import { isConflict } from '../../apimachinery/errors.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import {
  EventReasonEvictWorkloadFromClusterSucceed,
  EvictionProducerApplicationFailover,
  EvictionReasonApplicationFailure,
  gracefullyEvictCluster,
  normalizePurgeMode,
} from '../../apis/karmada/eviction.js';
import { clusterGVR, clusterResourceBindingGVR, resourceBindingGVR } from '../../apis/karmada/gvr.js';
import type { ApplicationFailoverBehavior } from '../../apis/karmada/policy.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import { clearEvictionBlocked, describeDestinations, placeAfterEviction, setEvictionBlocked, templateOf } from '../common/failsafe.js';
import type { ControllerContext } from '../context.js';
import { DefaultApplicationTolerationSeconds, dueClusters, preservedLabelState, trackUnhealthy } from './decide.js';

export const RBControllerName = 'resource-binding-application-failover-controller';
export const CRBControllerName = 'cluster-resource-binding-application-failover-controller';
const blockedRetryMs = 15_000;

const appFailover = (b: ResourceBinding) => (b.spec?.failover as { application?: ApplicationFailoverBehavior } | undefined)?.application;

export function registerApplicationFailoverController(ctx: ControllerContext): void {
  if (ctx.features && !ctx.features.Failover) return;
  const { client, manager, events } = ctx;
  const graceful = ctx.features?.GracefulEviction ?? true;
  const clusters = manager.informer(client, clusterGVR);
  for (const [gvr, name, kind] of [
    [resourceBindingGVR, RBControllerName, 'ResourceBinding'],
    [clusterResourceBindingGVR, CRBControllerName, 'ClusterResourceBinding'],
  ] as const) {
    const bindings = manager.informer(client, gvr);
    /** per binding: cluster -> when it was first seen Unhealthy (Karmada keeps this in memory too) */
    const unhealthy = new Map<string, Map<string, number>>();
    newControllerManagedBy(manager, name, client)
      .for(gvr, {
        filter: (b) => !!appFailover(b as ResourceBinding),
        update: (b, old) => !jsonEqual((b as ResourceBinding).status?.aggregatedStatus, (old as ResourceBinding).status?.aggregatedStatus) || !jsonEqual(b.spec, old.spec),
      })
      .workers(2)
      .logger(ctx.log)
      .complete(async (key) => {
        const cached = bindings.get(key) as ResourceBinding | undefined;
        const app = cached && appFailover(cached);
        if (!cached || !app || cached.metadata.deletionTimestamp) {
          unhealthy.delete(key);
          return;
        }
        const binding: ResourceBinding = { apiVersion: 'work.karmada.io/v1alpha2', kind, ...cached };
        const now = Date.now();
        const tracked = trackUnhealthy(binding, unhealthy.get(key) ?? new Map(), now);
        unhealthy.set(key, tracked);
        const { due, nextMs } = dueClusters(tracked, app.decisionConditions?.tolerationSeconds ?? DefaultApplicationTolerationSeconds, now);
        const cluster = due[0];
        if (!cluster) {
          await clearEvictionBlocked(client, binding);
          return nextMs !== undefined ? { requeueAfter: nextMs } : undefined;
        }
        const purgeMode = normalizePurgeMode(app.purgeMode, 'Gracefully');
        const failed = binding.status?.aggregatedStatus?.find((s) => s.clusterName === cluster);
        const rules = app.statePreservation?.rules ?? [];
        const state = rules.length ? preservedLabelState(failed?.status, rules) : { labels: {} };
        if ('error' in state) {
          await setEvictionBlocked(client, events, binding, `not failing over from cluster ${cluster}: ${state.error}`);
          return { requeueAfter: blockedRetryMs };
        }
        const reason = `the application has been unhealthy for longer than ${app.decisionConditions?.tolerationSeconds ?? DefaultApplicationTolerationSeconds}s`;
        const evicted = graceful
          ? gracefullyEvictCluster(binding.spec, cluster, {
              purgeMode,
              producer: EvictionProducerApplicationFailover,
              reason: EvictionReasonApplicationFailure,
              message: `Application failover: ${reason}`,
              ...(purgeMode === 'Gracefully' && app.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: app.gracePeriodSeconds } : {}),
              ...(purgeMode === 'Never' ? { suppressDeletion: true } : {}),
              preservedLabelState: state.labels,
              clustersBeforeFailover: (binding.spec.clusters ?? []).map((c) => c.name),
              now: rfc3339Now(),
            })
          : { ...binding.spec, clusters: (binding.spec.clusters ?? []).filter((c) => c.name !== cluster) };
        const placement = placeAfterEviction(binding, evicted, clusters.list() as Cluster[]);
        if (!placement.ok) {
          await setEvictionBlocked(client, events, binding, `not failing over from cluster ${cluster} (${reason}): no other cluster can take its replicas: ${placement.message}`);
          return { requeueAfter: blockedRetryMs };
        }
        try {
          await client.replace({ ...binding, spec: evicted });
        } catch (err) {
          if (isConflict(err)) return { requeueAfter: 50 };
          throw err;
        }
        tracked.delete(cluster);
        const msg = `Evicted from cluster(${cluster}): ${reason}; purgeMode ${graceful ? purgeMode : 'Directly'}; replicas go to ${describeDestinations(placement)}`;
        events.record(binding, 'Normal', EventReasonEvictWorkloadFromClusterSucceed, msg);
        events.record(templateOf(binding), 'Normal', EventReasonEvictWorkloadFromClusterSucceed, msg);
      });
  }
}
