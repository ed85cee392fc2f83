// The descheduler (Karmada's karmada-descheduler, run here as a controller-manager controller, off
// unless selected: `--controllers *,descheduler`): every --descheduling-interval it asks each
// Ready Push member of a dynamically weighted Divided binding how many of the workload's pods have
// been unschedulable for --unschedulable-threshold, and takes those replicas off that cluster; the
// scheduler then places them where they fit.
import { ClusterConditionReady, type Cluster } from '../../apis/karmada/cluster.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { clusterGVR, resourceBindingGVR } from '../../apis/karmada/gvr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { templateOf } from '../common/failsafe.js';
import { DefaultUnschedulableThresholdMs, descheduleClusters, deschedulable, unschedulableReplicas } from './unschedulable.js';
import { podGVR } from '../../apis/builtin/gvr.js';

export const ControllerName = 'descheduler';

interface DeschedulerOptions {
  /** --descheduling-interval (default 2m) */
  intervalMs?: number;
  /** --unschedulable-threshold (default 5m) */
  thresholdMs?: number;
}

const selectorOf = (obj: KubeObject): string | undefined => {
  const labels = (obj.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels;
  return labels && Object.keys(labels).length ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') : undefined;
};

export function registerDeschedulerController(ctx: ControllerContext, opts: DeschedulerOptions = {}): void {
  const { client, manager, members, events } = ctx;
  const intervalMs = opts.intervalMs ?? 120_000;
  const thresholdMs = opts.thresholdMs ?? DefaultUnschedulableThresholdMs;
  const clusters = manager.informer(client, clusterGVR);
  const bindings = manager.informer(client, resourceBindingGVR);
  newControllerManagedBy(manager, ControllerName, client)
    .for(resourceBindingGVR, { filter: (b) => deschedulable(b as ResourceBinding), update: () => false })
    .logger(ctx.log)
    .complete(async (key) => {
      const b = bindings.get(key) as ResourceBinding | undefined;
      if (!b || !deschedulable(b)) return;
      const r = b.spec.resource;
      const counts = new Map<string, number>();
      for (const target of b.spec.clusters ?? []) {
        const cluster = clusters.get(target.name) as Cluster | undefined;
        const ready = cluster?.status?.conditions?.find((c) => c.type === ClusterConditionReady)?.status === 'True';
        if (!cluster || !ready || cluster.spec.syncMode === 'Pull') continue;
        try {
          const member = await members.forCluster(cluster);
          const workload = await member.get({ apiVersion: r.apiVersion, kind: r.kind }, r.name, { namespace: r.namespace });
          const selector = selectorOf(workload);
          if (!selector) continue;
          const pods = await member.list(podGVR, { namespace: r.namespace, labelSelector: selector });
          counts.set(target.name, unschedulableReplicas(pods.items, Date.now(), thresholdMs));
        } catch {
          // an unreachable member or a workload not there yet: nothing to learn this round
        }
      }
      const next = descheduleClusters(b.spec.clusters ?? [], counts);
      if (next) {
        await client.replace({ apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', ...b, spec: { ...b.spec, clusters: next } });
        const moved = [...counts].filter(([, n]) => n > 0).map(([c, n]) => `${c} (${n})`).join(', ');
        events.record(templateOf(b), 'Normal', 'DescheduleSucceed', `Descheduled unschedulable replicas from ${moved}; the scheduler places them elsewhere`);
      }
      return { requeueAfter: intervalMs };
    });
}
