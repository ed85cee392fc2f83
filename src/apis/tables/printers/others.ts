// Printers for networking, policy, rbac, autoscaling, coordination, storage, scheduling and
// discovery kinds, following kube-apiserver's printers.go.
import type { KubeObject } from '../../../apimachinery/types.js';
import type { TableConvertor } from '../../resource.js';
import { ageSince } from '../age.js';
import { ageColumn, column, nameColumn, wide } from '../columns.js';
import { formatLabelSelector, listWithMore, quantityText } from '../format.js';
import { at, int, isObject, list, obj, str } from '../json.js';
import { loadBalancerAddresses } from './core.js';

const name = (o: KubeObject): string => o.metadata.name ?? '';
const age = (o: KubeObject, now: Date): string => ageSince(o.metadata.creationTimestamp, now);

export const ingressTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  cells: (o, now) => {
    const spec = obj(o.spec);
    return [
      name(o),
      typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '<none>',
      ingressHosts(spec.rules),
      loadBalancerAddresses(at(o, 'status', 'loadBalancer', 'ingress')).join(','),
      list(spec.tls).length > 0 ? '80, 443' : '80',
      age(o, now),
    ];
  },
};

function ingressHosts(rules: unknown): string {
  const rs = list(rules);
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const r of rs) {
    if (hosts.length === max) more = true;
    const host = str(at(r, 'host'));
    if (!more && host) hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rs.length - max} more...` : hosts.join(',');
}

export const ingressClassTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  cells: (o, now) => {
    const p = at(o, 'spec', 'parameters');
    let parameters = '<none>';
    if (isObject(p)) {
      parameters = str(p.kind);
      if (typeof p.apiGroup === 'string') parameters += `.${p.apiGroup}`;
      parameters += `/${str(p.name)}`;
    }
    return [name(o), str(at(o, 'spec', 'controller')), parameters, age(o, now)];
  },
};

export const networkPolicyTable: TableConvertor = {
  columns: [nameColumn, column('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies.'), ageColumn],
  cells: (o, now) => [name(o), formatLabelSelector(at(o, 'spec', 'podSelector') ?? {}), age(o, now)],
};

export const podDisruptionBudgetTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells: (o, now) => {
    const spec = obj(o.spec);
    const intOrString = (v: unknown): string => (v === undefined || v === null ? 'N/A' : String(v));
    return [name(o), intOrString(spec.minAvailable), intOrString(spec.maxUnavailable), int(at(o, 'status', 'disruptionsAllowed')), age(o, now)];
  },
};

function bindingTable(kindWord: string): TableConvertor {
  return {
    columns: [
      nameColumn,
      column('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
      ageColumn,
      wide('Users', 'string', `Users in the ${kindWord}`),
      wide('Groups', 'string', `Groups in the ${kindWord}`),
      wide('ServiceAccounts', 'string', `ServiceAccounts in the ${kindWord}`),
    ],
    cells: (o, now) => {
      const users: string[] = [];
      const groups: string[] = [];
      const sas: string[] = [];
      for (const s of list(o.subjects)) {
        const kind = str(at(s, 'kind'));
        if (kind === 'ServiceAccount') sas.push(`${str(at(s, 'namespace'))}/${str(at(s, 'name'))}`);
        else if (kind === 'User') users.push(str(at(s, 'name')));
        else if (kind === 'Group') groups.push(str(at(s, 'name')));
      }
      const roleRef = obj(o.roleRef);
      return [name(o), `${str(roleRef.kind)}/${str(roleRef.name)}`, age(o, now), users.join(', '), groups.join(', '), sas.join(', ')];
    },
  };
}

export const roleBindingTable = bindingTable('roleBinding');
export const clusterRoleBindingTable = bindingTable('clusterRoleBinding');

/** The HPA printer over an autoscaling/v2 object. */
export const horizontalPodAutoscalerTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageColumn,
  ],
  cells: (o, now) => {
    const spec = obj(o.spec);
    const ref = obj(spec.scaleTargetRef);
    return [
      name(o),
      `${str(ref.kind)}/${str(ref.name)}`,
      formatHpaMetrics(list(spec.metrics), list(at(o, 'status', 'currentMetrics'))),
      typeof spec.minReplicas === 'number' ? String(spec.minReplicas) : '<unset>',
      int(spec.maxReplicas),
      int(at(o, 'status', 'currentReplicas')),
      age(o, now),
    ];
  },
};

function formatHpaMetrics(specs: unknown[], statuses: unknown[]): string {
  if (specs.length === 0) return '<none>';
  const items = specs.map((spec, i) => formatHpaMetric(spec, statuses[i]));
  const max = 2;
  if (items.length > max) return `${items.slice(0, max).join(', ')} + ${items.length - max} more...`;
  return items.join(', ');
}

function formatHpaMetric(spec: unknown, status: unknown): string {
  const type = str(at(spec, 'type'));
  const q = (v: unknown): string => quantityText(v);
  switch (type) {
    case 'External':
    case 'Object': {
      const key = type === 'External' ? 'external' : 'object';
      const target = obj(at(spec, key, 'target'));
      const current = obj(at(status, key, 'current'));
      const has = isObject(at(status, key));
      if (target.averageValue !== undefined) {
        return `${has && current.averageValue !== undefined ? q(current.averageValue) : '<unknown>'}/${q(target.averageValue)} (avg)`;
      }
      return `${has ? q(current.value) : '<unknown>'}/${q(target.value)}`;
    }
    case 'Pods': {
      const has = isObject(at(status, 'pods'));
      return `${has ? q(at(status, 'pods', 'current', 'averageValue')) : '<unknown>'}/${q(at(spec, 'pods', 'target', 'averageValue'))}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const key = type === 'Resource' ? 'resource' : 'containerResource';
      const source = obj(at(spec, key));
      const target = obj(source.target);
      const st = at(status, key);
      if (target.averageValue !== undefined) {
        return `${str(source.name)}: ${isObject(st) ? q(at(st, 'current', 'averageValue')) : '<unknown>'}/${q(target.averageValue)}`;
      }
      const currentUtil = at(st, 'current', 'averageUtilization');
      const current = typeof currentUtil === 'number' ? `${currentUtil}%` : '<unknown>';
      const tgt = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
      return `${str(source.name)}: ${current}/${tgt}`;
    }
  }
  return '<unknown type>';
}

export const leaseTable: TableConvertor = {
  columns: [nameColumn, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn],
  cells: (o, now) => [name(o), str(at(o, 'spec', 'holderIdentity')), age(o, now)],
};

export const storageClassTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn,
  ],
  cells: (o, now) => {
    const ann = o.metadata.annotations ?? {};
    const isDefault = ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return [
      isDefault ? `${name(o)} (default)` : name(o),
      str(o.provisioner),
      str(o.reclaimPolicy) || 'Delete',
      str(o.volumeBindingMode) || 'Immediate',
      o.allowVolumeExpansion === true,
      age(o, now),
    ];
  },
};

export const priorityClassTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Value', 'integer', 'value represents the integer value of this priority class.'),
    column('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.'),
    ageColumn,
    wide('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  cells: (o, now) => [name(o), int(o.value), o.globalDefault === true, age(o, now), str(o.preemptionPolicy)],
};

export const endpointSliceTable: TableConvertor = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  cells: (o, now) => {
    const ports = list(o.ports).map((p) => {
      const port = at(p, 'port');
      if (typeof port === 'number') return String(port);
      const portName = at(p, 'name');
      return typeof portName === 'string' ? portName : '*';
    });
    const addresses = list(o.endpoints).flatMap((e) => list(at(e, 'addresses')).map((a) => str(a)));
    return [name(o), str(o.addressType), listWithMore(ports), listWithMore(addresses), age(o, now)];
  },
};
