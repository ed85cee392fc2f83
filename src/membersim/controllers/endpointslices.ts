// The member's EndpointSlice controller (Kubernetes pkg/controller/endpointslice): every Service with
// a selector gets EndpointSlices `<svc>-<suffix>` listing its pods (addresses, ready/serving/terminating,
// nodeName, targetRef) and its ports, labelled kubernetes.io/service-name and managed-by.
import type { KubeObject } from '../../apimachinery/types.js';
import { objectKey } from '../../runtime/informer.js';
import { onlyDeletes } from '../../runtime/builder.js';
import type { Controller } from '../../runtime/controller.js';
import { isOwnedBy, ownerRef, type SimCluster } from '../cluster.js';
import { isReady, nodeNameOf, podStatus } from '../pods.js';
import type { ServicePort, ServiceSpec } from '../../apis/builtin/service.js';

/** discovery.k8s.io/v1 LabelServiceName and LabelManagedBy */
export const LabelServiceName = 'kubernetes.io/service-name';
export const LabelManagedBy = 'endpointslice.kubernetes.io/managed-by';
export const ManagedByEndpointSliceController = 'endpointslice-controller.k8s.io';
/** --max-endpoints-per-slice default */
export const MaxEndpointsPerSlice = 100;

export interface EndpointSliceBody {
  addressType: 'IPv4';
  endpoints: Record<string, unknown>[];
  ports: { name: string; port: number; protocol: string }[];
}

function resolvePort(port: ServicePort, pod: KubeObject | undefined): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers = (pod?.spec as { containers?: { ports?: { name?: string; containerPort: number }[] }[] } | undefined)?.containers ?? [];
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

export const selects = (selector: Record<string, string>, pod: KubeObject): boolean => Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v);

/** whether the Service gets slices from this controller (a selector; ExternalName has none) */
export function hasSelector(svc: KubeObject): boolean {
  const spec = (svc.spec ?? {}) as ServiceSpec;
  return !!spec.selector && Object.keys(spec.selector).length > 0 && spec.type !== 'ExternalName';
}

/**
 * The slices a Service should have from the pods of its namespace: selected pods with an IP that
 * are not finished, by name, MaxEndpointsPerSlice per slice (one empty slice when there are none).
 */
export function endpointSlicesFor(service: KubeObject, pods: readonly KubeObject[]): EndpointSliceBody[] {
  const spec = (service.spec ?? {}) as ServiceSpec;
  if (!hasSelector(service)) return [];
  const chosen = pods
    .filter((p) => p.metadata.namespace === service.metadata.namespace && selects(spec.selector!, p))
    .filter((p) => !!podStatus(p).podIP && podStatus(p).phase !== 'Succeeded' && podStatus(p).phase !== 'Failed')
    .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  const ports = (spec.ports ?? [])
    .map((p) => ({ name: p.name ?? '', port: resolvePort(p, chosen[0]), protocol: p.protocol ?? 'TCP' }))
    .filter((p): p is { name: string; port: number; protocol: string } => p.port !== undefined);
  const endpoints = chosen.map((p) => {
    const terminating = !!p.metadata.deletionTimestamp;
    return {
      addresses: [podStatus(p).podIP as string],
      conditions: { ready: isReady(p) && !terminating, serving: isReady(p), terminating },
      ...(nodeNameOf(p) ? { nodeName: nodeNameOf(p) } : {}),
      targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
    };
  });
  const slices: EndpointSliceBody[] = [];
  for (let i = 0; i < Math.max(1, endpoints.length); i += MaxEndpointsPerSlice) slices.push({ addressType: 'IPv4', endpoints: endpoints.slice(i, i + MaxEndpointsPerSlice), ports });
  return slices;
}

/** the labels of a Service's slices: the Service's own plus service-name and managed-by */
export function sliceLabels(svc: KubeObject): Record<string, string> {
  return { ...(svc.metadata.labels ?? {}), [LabelServiceName]: svc.metadata.name!, [LabelManagedBy]: ManagedByEndpointSliceController };
}

const serviceOfSlice = (es: KubeObject) => (es.metadata.labels?.[LabelServiceName] ? `${es.metadata.namespace}/${es.metadata.labels[LabelServiceName]}` : undefined);

export class EndpointSliceController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    const services = c.informer('services');
    // the Services of the pod's namespace that select it (the builder asks for the old pod too)
    const selecting = (p: KubeObject) => services.list((s) => s.metadata.namespace === p.metadata.namespace && hasSelector(s) && selects((s.spec as ServiceSpec).selector!, p)).map(objectKey);
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
    if (!svc || svc.metadata.deletionTimestamp) return;
    const owned = this.c
      .informer('endpointslices')
      .list((es) => isOwnedBy(es, svc) && es.metadata.labels?.[LabelManagedBy] === ManagedByEndpointSliceController)
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    const desired = endpointSlicesFor(svc, this.c.informer('pods').list((p) => p.metadata.namespace === svc.metadata.namespace));
    const labels = sliceLabels(svc);
    for (const es of owned.slice(desired.length)) await this.c.delete('endpointslices', es, 'endpointslice-controller');
    for (const [i, body] of desired.entries()) {
      const slice = owned[i];
      if (!slice) {
        const created = await this.c.create(
          'endpointslices',
          { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels, ownerReferences: [ownerRef(svc)] }, ...body },
          'endpointslice-controller',
        );
        await this.c.caughtUp('endpointslices', (inf) => !!inf.get(objectKey(created)));
        continue;
      }
      await this.c.update('endpointslices', slice, 'endpointslice-controller', (o) => {
        if (JSON.stringify([o.endpoints ?? [], o.ports ?? [], o.metadata.labels]) === JSON.stringify([body.endpoints, body.ports, labels])) return false;
        Object.assign(o, body);
        o.metadata.labels = labels;
      });
    }
  }
}
