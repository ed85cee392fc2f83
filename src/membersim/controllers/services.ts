// Services: ClusterIPs and NodePorts allocated at create (kube-apiserver's allocators, as an
// admission plugin), and the EndpointSlice and Endpoints of every Service with a selector.
import type { AdmissionPlugin } from '../../apiserver/rest/admission.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { errors } from '../../apimachinery/errors.js';
import { objectKey } from '../../runtime/informer.js';
import { SimController, isOwnedBy, ownerRef, type SimCluster } from '../cluster.js';
import { isReady, nodeNameOf, podStatus } from '../pods.js';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  nodePort?: number;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  selector?: Record<string, string>;
  ports?: ServicePort[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
}

const managedBy = 'endpointslice-controller.k8s.io';

/** 10.96.0.0/12 as kube-apiserver's default service CIDR; index 1 is the kubernetes Service */
function serviceIP(index: number): string {
  const base = (10 << 24) | (96 << 16);
  const v = (base + index) >>> 0;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

/** Allocates ClusterIPs and NodePorts for new Services (and NodePorts when a Service turns NodePort). */
export function serviceAllocator(existing: () => Promise<KubeObject[]>): AdmissionPlugin {
  let used: { ips: Set<string>; ports: Set<number> } | undefined;
  const load = async () => {
    if (!used) {
      used = { ips: new Set(['10.96.0.1']), ports: new Set() };
      for (const s of await existing()) {
        const spec = (s.spec ?? {}) as ServiceSpec;
        if (spec.clusterIP) used.ips.add(spec.clusterIP);
        for (const p of spec.ports ?? []) if (p.nodePort) used.ports.add(p.nodePort);
      }
    }
    return used;
  };
  const pick = <T>(taken: Set<T>, make: () => T, what: string): T => {
    for (let i = 0; i < 1000; i++) {
      const v = make();
      if (!taken.has(v)) {
        taken.add(v);
        return v;
      }
    }
    throw errors.internal(`failed to allocate a ${what}: range is full`);
  };
  return {
    name: 'ServiceIPAllocator',
    async mutate(req) {
      if (req.def.group !== '' || req.def.resource !== 'services' || req.subresource || req.ctx.dryRun) return;
      if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return;
      const spec = (req.obj.spec ??= {}) as ServiceSpec;
      const old = (req.old?.spec ?? {}) as ServiceSpec;
      const u = await load();
      if (spec.type !== 'ExternalName') {
        if (req.operation === 'UPDATE' && !spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
        if (!spec.clusterIP) spec.clusterIP = pick(u.ips, () => serviceIP(2 + Math.floor(Math.random() * (2 ** 20 - 3))), 'ClusterIP');
        if (spec.clusterIP !== 'None') u.ips.add(spec.clusterIP);
        spec.clusterIPs = [spec.clusterIP];
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        for (const p of spec.ports ?? []) {
          const before = old.ports?.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
          if (!p.nodePort && before?.nodePort) p.nodePort = before.nodePort;
          if (!p.nodePort) p.nodePort = pick(u.ports, () => 30000 + Math.floor(Math.random() * 2768), 'NodePort');
          u.ports.add(p.nodePort);
        }
      }
    },
  };
}

function resolvePort(port: ServicePort, pod: KubeObject | undefined): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers = ((pod?.spec as { containers?: { ports?: { name?: string; containerPort: number }[] }[] } | undefined)?.containers ?? []);
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

const selects = (selector: Record<string, string>, pod: KubeObject) => Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v);

export class EndpointsController extends SimController {
  constructor(c: SimCluster) {
    super('endpointslice', c);
  }

  setup(): void {
    this.c.informer('services').addHandlers({ onAdd: this.enqueue, onUpdate: this.enqueue });
    const byPod = (p: KubeObject, old?: KubeObject) => {
      for (const s of this.c.informer('services').list((s) => s.metadata.namespace === p.metadata.namespace)) {
        const sel = (s.spec as ServiceSpec | undefined)?.selector;
        if (sel && Object.keys(sel).length && (selects(sel, p) || (old && selects(sel, old)))) this.enqueue(s);
      }
    };
    this.c.informer('pods').addHandlers({ onAdd: (p) => byPod(p), onUpdate: (p, old) => byPod(p, old), onDelete: (p) => byPod(p) });
    this.c.informer('endpointslices').addHandlers({ onDelete: (es) => {
      const svc = es.metadata.labels?.['kubernetes.io/service-name'];
      if (svc) this.queue.add(`${es.metadata.namespace}/${svc}`);
    } });
  }

  async reconcile(key: string): Promise<void> {
    const svc = this.c.get('services', key);
    const spec = (svc?.spec ?? {}) as ServiceSpec;
    if (!svc || !spec.selector || !Object.keys(spec.selector).length || svc.metadata.deletionTimestamp) return;
    const pods = this.c.informer('pods')
      .list((p) => p.metadata.namespace === svc.metadata.namespace && selects(spec.selector!, p) && !!podStatus(p).podIP && podStatus(p).phase !== 'Succeeded' && podStatus(p).phase !== 'Failed')
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    const ports = (spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: resolvePort(p, pods[0]), protocol: p.protocol ?? 'TCP' })).filter((p) => p.port !== undefined);
    const endpoints = pods.map((p) => ({
      addresses: [podStatus(p).podIP as string],
      conditions: { ready: isReady(p) && !p.metadata.deletionTimestamp, serving: isReady(p), terminating: !!p.metadata.deletionTimestamp },
      ...(nodeNameOf(p) ? { nodeName: nodeNameOf(p) } : {}),
      targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
    }));
    const slices = this.c.informer('endpointslices').list((es) => isOwnedBy(es, svc) && es.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === managedBy);
    const labels = { ...(svc.metadata.labels ?? {}), 'kubernetes.io/service-name': svc.metadata.name!, 'endpointslice.kubernetes.io/managed-by': managedBy };
    const body = { addressType: 'IPv4', endpoints, ports };
    const [slice, ...extra] = slices;
    for (const es of extra) await this.c.delete('endpointslices', es, 'endpointslice-controller');
    if (!slice) {
      const created = await this.c.create('endpointslices', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels, ownerReferences: [ownerRef(svc)] }, ...body }, 'endpointslice-controller');
      await this.c.caughtUp('endpointslices', (inf) => !!inf.get(objectKey(created)));
    } else {
      await this.c.update('endpointslices', slice, 'endpointslice-controller', (o) => {
        const same = JSON.stringify([o.endpoints ?? [], o.ports ?? [], o.metadata.labels]) === JSON.stringify([endpoints, ports, labels]);
        if (same) return false;
        Object.assign(o, body);
        o.metadata.labels = labels;
      });
    }
  }
}
