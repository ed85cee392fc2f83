// Services: the EndpointSlice and Endpoints of every Service with a selector (ClusterIPs and
// NodePorts come from the API server's allocator, src/apiserver/admission/service-allocator.ts).
import type { KubeObject } from '../../apimachinery/types.js';
import { objectKey } from '../../runtime/informer.js';
import { onlyDeletes } from '../../runtime/builder.js';
import type { Controller } from '../../runtime/controller.js';
import { isOwnedBy, ownerRef, type SimCluster } from '../cluster.js';
import { isReady, nodeNameOf, podStatus } from '../pods.js';
import type { ServicePort, ServiceSpec } from '../../apis/builtin/service.js';

const managedBy = 'endpointslice-controller.k8s.io';

function resolvePort(port: ServicePort, pod: KubeObject | undefined): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers = ((pod?.spec as { containers?: { ports?: { name?: string; containerPort: number }[] }[] } | undefined)?.containers ?? []);
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

function serviceOfSlice(es: KubeObject): string | undefined {
  const svc = es.metadata.labels?.['kubernetes.io/service-name'];
  return svc ? `${es.metadata.namespace}/${svc}` : undefined;
}

const selects = (selector: Record<string, string>, pod: KubeObject) => Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v);

export class EndpointsController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    const services = c.informer('services');
    // the Services of the pod's namespace that select it (the builder asks for the old pod too)
    const selecting = (p: KubeObject) =>
      services
        .list((s) => s.metadata.namespace === p.metadata.namespace)
        .filter((s) => {
          const sel = (s.spec as ServiceSpec | undefined)?.selector;
          return !!sel && Object.keys(sel).length > 0 && selects(sel, p);
        })
        .map(objectKey);
    this.controller = c
      .controller('endpointslice')
      .for(services)
      .watches(c.informer('pods'), selecting)
      // a slice deleted by hand comes back
      .watches(c.informer('endpointslices'), serviceOfSlice, onlyDeletes)
      .complete((key) => this.reconcile(key));
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
