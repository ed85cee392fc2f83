// The nodes of a simulated member, built from its config as a kubelet would register them.
import type { KubeObject } from '../apimachinery/types.js';
import type { Taint } from '../apis/karmada/cluster.js';
import type { MemberConfig } from './config.js';

export const kubeletVersion = 'v1.32.4';

/** the taints the node lifecycle controller puts on a node whose kubelet stopped posting status */
export const unreachableTaints: Taint[] = [
  { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
];

export function readyCondition(ready: boolean, now: string): Record<string, string> {
  return ready
    ? { type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletReady', message: 'kubelet is posting ready status' }
    : { type: 'Ready', status: 'Unknown', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
}

function pressureConditions(now: string): Record<string, string>[] {
  return [
    { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  ];
}

/**
 * The Node objects of a member, spread round-robin over its zones. Pools sharing a name prefix (as
 * pools without one do) number their nodes on from the previous pool, so names stay distinct.
 */
export function buildNodes(config: MemberConfig, now: string): KubeObject[] {
  const nodes: KubeObject[] = [];
  const numbered = new Map<string, number>();
  let index = 0;
  for (const pool of config.nodes) {
    const first = (numbered.get(pool.namePrefix) ?? 0) + 1;
    numbered.set(pool.namePrefix, first - 1 + pool.count);
    for (let i = first; i < first + pool.count; i++) {
      const name = `${config.name}-${pool.namePrefix}-${i}`;
      const zone = config.zones.length ? config.zones[index % config.zones.length] : undefined;
      const labels: Record<string, string> = {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(config.region ? { 'topology.kubernetes.io/region': config.region } : {}),
        ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}),
        ...pool.labels,
      };
      const resources = { cpu: pool.cpu, memory: pool.memory, pods: pool.pods, 'ephemeral-storage': pool.ephemeralStorage, ...pool.extendedResources };
      const third = Math.floor(index / 250);
      const octet = index % 250;
      nodes.push({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
        spec: { podCIDR: `10.${244 + third}.${octet}.0/24`, podCIDRs: [`10.${244 + third}.${octet}.0/24`], ...(pool.taints.length ? { taints: pool.taints } : {}) },
        status: {
          capacity: resources,
          allocatable: resources,
          conditions: [...pressureConditions(now), readyCondition(true, now)],
          addresses: [
            { type: 'InternalIP', address: `172.18.${third}.${octet + 2}` },
            { type: 'Hostname', address: name },
          ],
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            machineID: name,
            systemUUID: name,
            bootID: name,
            kernelVersion: '6.8.0-karmada-ts',
            osImage: 'karmada-ts simulated node',
            containerRuntimeVersion: 'containerd://1.7.24',
            kubeletVersion,
            kubeProxyVersion: kubeletVersion,
            operatingSystem: 'linux',
            architecture: 'amd64',
          },
        },
      });
      index++;
    }
  }
  return nodes;
}

export function nodeIsReady(node: KubeObject): boolean {
  const conds = ((node.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function nodeInternalIP(node: KubeObject): string {
  const addrs = (node.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? [];
  return addrs.find((a) => a.type === 'InternalIP')?.address ?? '';
}
