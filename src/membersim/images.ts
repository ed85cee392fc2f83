// Image pulls a member cannot do, and the pod status a kubelet posts then (ErrImagePull, then
// ImagePullBackOff, as the kubelet's image manager reports them). Counterpart: kubelet's images/puller.
import type { KubeObject } from '../apimachinery/types.js';
import { imageRef, podStatus, type PodStatusShape } from './pods.js';

/** registry treated as unreachable by every member (`fake/nginx:1.19.0`, as Karmada's e2e uses it) */
const unpullableRegistry = 'fake';

const repository = (ref: string) => {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
};

const hasTag = (image: string) => {
  const last = image.slice(image.lastIndexOf('/') + 1);
  return last.includes(':') || last.includes('@');
};

/**
 * Whether `image` cannot be pulled: on registry `fake`, or matching a marked image (a marked
 * image with a tag or digest matches only that; one without matches every tag of the repository).
 */
export function isUnpullable(image: string | undefined, marked: ReadonlySet<string>): boolean {
  if (!image) return false;
  if (image.includes('/') && image.split('/')[0] === unpullableRegistry) return true;
  // the kubelet asks for every pod it looks at; usually nothing is marked
  if (marked.size === 0) return false;
  const ref = imageRef(image);
  for (const m of marked) {
    if (hasTag(m) ? imageRef(m) === ref : repository(imageRef(m)) === repository(ref)) return true;
  }
  return false;
}

interface Container {
  name: string;
  image?: string;
}

/** the pod's containers whose image cannot be pulled */
export function unpullableContainers(pod: KubeObject, marked: ReadonlySet<string>): Container[] {
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c) => isUnpullable(c.image, marked));
}

const pullErrorMessage = (image: string) =>
  `failed to pull and unpack image "${imageRef(image)}": failed to resolve reference "${imageRef(image)}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;

/**
 * The status of a pod some of whose images cannot be pulled: first ErrImagePull, then (`backOff`)
 * ImagePullBackOff; a pod that ran before keeps phase Running with its restart counted, one that
 * never ran stays Pending. Containers with pullable images are shown running when the pod ran.
 */
export function imagePullFailedStatus(pod: KubeObject, failing: Container[], opts: { hostIP: string; podIP?: string; now: string; backOff: boolean }): PodStatusShape {
  const s = podStatus(pod);
  const spec = (pod.spec ?? {}) as { containers?: Container[] };
  const failingNames = new Set(failing.map((c) => c.name));
  const ran = s.phase === 'Running';
  const at = (type: string) => s.conditions?.find((c) => c.type === type);
  const notReadyMessage = `containers with unready status: [${[...failingNames].join(' ')}]`;
  const cond = (type: string, status: string, extra: Record<string, string> = {}) => {
    const old = at(type);
    return { type, status, lastProbeTime: null, lastTransitionTime: old?.status === status ? (old.lastTransitionTime ?? opts.now) : opts.now, ...extra };
  };
  const previous = new Map(((s.containerStatuses ?? []) as { name: string; restartCount?: number; state?: { waiting?: unknown; running?: unknown } }[]).map((c) => [c.name, c]));
  const containerStatuses = (spec.containers ?? []).map((c) => {
    const prev = previous.get(c.name);
    const image = imageRef(c.image);
    if (!failingNames.has(c.name)) return { ...(prev ?? {}), name: c.name, image, imageID: '', ready: false, restartCount: prev?.restartCount ?? 0, started: false, state: { waiting: { reason: 'PodInitializing' } }, lastState: {} };
    const waiting = opts.backOff ? { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } : { reason: 'ErrImagePull', message: pullErrorMessage(c.image ?? '') };
    const restarted = prev?.state?.running ? 1 : 0;
    return { name: c.name, state: { waiting }, lastState: {}, ready: false, restartCount: (prev?.restartCount ?? 0) + restarted, image, imageID: '', started: false };
  });
  return {
    ...s,
    phase: ran ? 'Running' : 'Pending',
    conditions: [
      cond('PodReadyToStartContainers', 'True'),
      cond('Initialized', 'True'),
      cond('Ready', 'False', { reason: 'ContainersNotReady', message: notReadyMessage }),
      cond('ContainersReady', 'False', { reason: 'ContainersNotReady', message: notReadyMessage }),
      at('PodScheduled') ?? cond('PodScheduled', 'True'),
    ],
    hostIP: opts.hostIP,
    hostIPs: [{ ip: opts.hostIP }],
    ...(opts.podIP ? { podIP: opts.podIP, podIPs: [{ ip: opts.podIP }] } : {}),
    startTime: (s.startTime as string | undefined) ?? opts.now,
    containerStatuses,
  };
}

/** the waiting reason the pod's status shows for an image pull, if any */
export function imagePullReason(pod: KubeObject): string | undefined {
  const cs = (podStatus(pod).containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[];
  return cs.map((c) => c.state?.waiting?.reason).find((r) => r === 'ErrImagePull' || r === 'ImagePullBackOff');
}
