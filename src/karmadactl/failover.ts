// `karmadactl failover what-if --cluster NAME` (karmada-ts's own): which bindings would be evicted
// if that cluster failed now, when, and where their replicas would go by the real scheduler code,
// or that they have nowhere to go; reads the control plane, writes nothing.
import type { Command } from 'commander';
import type { ResourceBinding } from '../apis/karmada/binding.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import type { ClusterTaintPolicy } from '../apis/karmada/policy.js';
import { clusterGVR, clusterResourceBindingGVR, clusterTaintPolicyGVR, resourceBindingGVR } from '../apis/karmada/gvr.js';
import type { KubeClient } from '../runtime/client.js';
import { failoverWhatIf, formatWhatIf, type WhatIf } from '../controllers/taintmanager/whatif.js';

async function runFailoverWhatIf(client: KubeClient, cluster: string): Promise<WhatIf> {
  const [clusters, policies, rbs, crbs] = await Promise.all([
    client.listAll<Cluster>(clusterGVR),
    client.listAll<ClusterTaintPolicy>(clusterTaintPolicyGVR),
    client.listAll<ResourceBinding>(resourceBindingGVR),
    client.listAll<ResourceBinding>(clusterResourceBindingGVR),
  ]);
  const bindings = [...rbs.items.map((b) => ({ ...b, kind: 'ResourceBinding' as const })), ...crbs.items.map((b) => ({ ...b, kind: 'ClusterResourceBinding' as const }))];
  return failoverWhatIf(cluster, clusters.items, policies.items, bindings);
}

/** adds `failover what-if` to karmadactl; `withKubeconfig` adds the usual flags, `clientOf` builds the client from them */
export function registerFailoverCommand<O extends object>(program: Command, withKubeconfig: (c: Command) => Command, clientOf: (opts: O) => KubeClient): void {
  const failover = program.command('failover').description('Failover tools (karmada-ts): what-if');
  withKubeconfig(failover.command('what-if'))
    .description('Print, without writing anything, which bindings would be evicted if --cluster failed now, when, and where their replicas would go (the real scheduler), or that they would have nowhere to go')
    .requiredOption('--cluster <name>', 'the cluster to imagine failed')
    .option('-o, --output <format>', 'table (default) or json', 'table')
    .action(async (opts: O & { cluster: string; output: string }) => {
      if (opts.output !== 'table' && opts.output !== 'json') throw new Error(`--output must be table or json (got ${JSON.stringify(opts.output)})`);
      const w = await runFailoverWhatIf(clientOf(opts), opts.cluster);
      process.stdout.write(opts.output === 'json' ? `${JSON.stringify(w, null, 2)}\n` : formatWhatIf(w));
    });
}
