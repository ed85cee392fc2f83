// Pod facts and the pod statuses a kubelet reports, as plain functions.
import type { KubeObject } from '../apimachinery/types.js';

interface ContainerLike {
  name: string;
  image?: string;
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: null;
}

export interface PodStatusShape {
  phase?: string;
  conditions?: PodCondition[];
  [k: string]: unknown;
}

export const podStatus = (pod: KubeObject): PodStatusShape => (pod.status ?? {}) as PodStatusShape;
const podSpec = (pod: KubeObject) => (pod.spec ?? {}) as { nodeName?: string; containers?: ContainerLike[]; initContainers?: ContainerLike[]; restartPolicy?: string; schedulerName?: string };

export function nodeNameOf(pod: KubeObject): string | undefined {
  return podSpec(pod).nodeName || undefined;
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = podStatus(pod).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** counts toward a controller's replicas: not finished, not being deleted */
export function isActive(pod: KubeObject): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function condition(pod: KubeObject, type: string): PodCondition | undefined {
  return podStatus(pod).conditions?.find((c) => c.type === type);
}

export function isReady(pod: KubeObject): boolean {
  return condition(pod, 'Ready')?.status === 'True';
}

/** ready for at least minReadySeconds (podutil.IsPodAvailable) */
export function isAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  const ready = condition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now;
}

/** milliseconds until a ready pod becomes available, or undefined */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, now: number): number | undefined {
  const ready = condition(pod, 'Ready');
  if (ready?.status !== 'True' || !minReadySeconds) return undefined;
  const left = Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000 - now;
  return left > 0 ? left : undefined;
}

const cond = (type: string, status: string, at: string, extra: Partial<PodCondition> = {}): PodCondition => ({ type, status, lastProbeTime: null, lastTransitionTime: at, ...extra });

/** The status a kubelet posts once the pod's containers run (and, with `ready`, pass readiness). */
export function runningStatus(pod: KubeObject, opts: { hostIP: string; podIP: string; startTime: string; now: string; ready: boolean }): PodStatusShape {
  const spec = podSpec(pod);
  const scheduled = condition(pod, 'PodScheduled');
  const readyStatus = opts.ready ? 'True' : 'False';
  const notReady = opts.ready ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${(spec.containers ?? []).map((c) => c.name).join(' ')}]` };
  return {
    phase: 'Running',
    conditions: [
      cond('PodReadyToStartContainers', 'True', opts.startTime),
      cond('Initialized', 'True', opts.startTime),
      cond('Ready', readyStatus, opts.now, notReady),
      cond('ContainersReady', readyStatus, opts.now, notReady),
      scheduled ?? cond('PodScheduled', 'True', opts.startTime),
    ],
    hostIP: opts.hostIP,
    hostIPs: [{ ip: opts.hostIP }],
    podIP: opts.podIP,
    podIPs: [{ ip: opts.podIP }],
    startTime: opts.startTime,
    ...(spec.initContainers?.length ? { initContainerStatuses: spec.initContainers.map((c) => terminatedContainer(c, opts.startTime, opts.startTime)) } : {}),
    containerStatuses: (spec.containers ?? []).map((c) => ({
      name: c.name,
      state: { running: { startedAt: opts.startTime } },
      lastState: {},
      ready: opts.ready,
      restartCount: 0,
      image: imageRef(c.image),
      imageID: `${imageRef(c.image)}@sha256:${'0'.repeat(64)}`,
      containerID: `containerd://${containerId(pod, c.name)}`,
      started: true,
    })),
    qosClass: podStatus(pod).qosClass ?? qosClass(pod),
  };
}

function terminatedContainer(c: ContainerLike, startedAt: string, finishedAt: string) {
  return {
    name: c.name,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt, containerID: `containerd://${'0'.repeat(64)}` } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: imageRef(c.image),
    imageID: `${imageRef(c.image)}@sha256:${'0'.repeat(64)}`,
    started: false,
  };
}

/** The status of a pod whose containers all exited 0 (a Job's pod). */
export function succeededStatus(pod: KubeObject, now: string): PodStatusShape {
  const s = podStatus(pod);
  const spec = podSpec(pod);
  const startTime = (s.startTime as string | undefined) ?? now;
  const completed = { reason: 'PodCompleted' };
  return {
    ...s,
    phase: 'Succeeded',
    conditions: (s.conditions ?? []).map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', lastTransitionTime: now, ...completed } : c.type === 'PodReadyToStartContainers' ? { ...c, status: 'False', lastTransitionTime: now } : c,
    ),
    containerStatuses: (spec.containers ?? []).map((c) => terminatedContainer(c, startTime, now)),
  };
}

/** the Pending status with PodScheduled=False a scheduler posts for a pod that fits nowhere */
export function unschedulableStatus(pod: KubeObject, message: string, now: string): PodStatusShape {
  const s = podStatus(pod);
  const old = condition(pod, 'PodScheduled');
  const same = old?.status === 'False' && old.reason === 'Unschedulable';
  return {
    ...s,
    phase: 'Pending',
    conditions: [
      ...(s.conditions ?? []).filter((c) => c.type !== 'PodScheduled'),
      cond('PodScheduled', 'False', same ? (old.lastTransitionTime ?? now) : now, { reason: 'Unschedulable', message }),
    ],
    qosClass: s.qosClass ?? qosClass(pod),
  };
}

/** docker.io/library/ prefix, as containerd reports images */
export function imageRef(image: string | undefined): string {
  if (!image) return '';
  const [first] = image.split('/');
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasRegistry ? image : image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return lastSegment.includes(':') || lastSegment.includes('@') ? path : `${path}:latest`;
}

function containerId(pod: KubeObject, name: string): string {
  let h = 0x811c9dc5;
  for (const ch of `${pod.metadata.uid}/${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}

/** Kubernetes' QoS class from the containers' requests and limits */
export function qosClass(pod: KubeObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...((pod.spec as { containers?: unknown[] } | undefined)?.containers ?? []), ...((pod.spec as { initContainers?: unknown[] } | undefined)?.initContainers ?? [])] as { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }[];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}
