// ClusterIPs and NodePorts allocated when a Service is created or turns NodePort/LoadBalancer, as
// kube-apiserver's service IP and node port allocators do, written as an admission plugin. The
// control plane and every simulated member run it, so a propagated Service keeps the NodePort the
// control plane gave it while each member allocates its own ClusterIP.
import type { KubeObject } from '../../apimachinery/types.js';
import { errors } from '../../apimachinery/errors.js';
import type { AdmissionPlugin } from '../rest/admission.js';
import type { ServiceSpec } from '../../apis/builtin/service.js';

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
