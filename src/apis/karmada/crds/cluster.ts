// cluster.karmada.io/v1alpha1 Cluster. Karmada serves it from an aggregated API server; here it is a
// cluster-scoped custom resource with a status subresource (the proxy subresource is separate).
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { taint } from './common.js';
import { ageColumn, arr, bool, column, conditions, crd, int, kindSchema, obj, quantity, resourceList, str, strMap } from './schema.js';

export const clusterGroup = 'cluster.karmada.io';

function cluster(): CustomResourceDefinition {
  const secretRef = (what: string) => obj({ namespace: str(), name: str() }, { required: ['namespace', 'name'], description: what });
  const spec = obj(
    {
      id: str('Unique id of the cluster, usually the kube-system namespace UID.'),
      syncMode: str({ description: 'Push: the control plane applies Works; Pull: an agent in the cluster does.', enum: ['Push', 'Pull'] }),
      apiEndpoint: str('URL of the member API server.'),
      secretRef: secretRef('Secret with the token and caBundle to reach the cluster.'),
      impersonatorSecretRef: secretRef('Secret with the token used to impersonate callers through the proxy.'),
      insecureSkipTLSVerification: bool('Do not verify the member API server certificate.'),
      proxyURL: str('Proxy used to reach the cluster (http, https or socks5).'),
      proxyHeader: strMap('Headers sent to the proxy.'),
      provider: str('Cloud provider of the cluster.'),
      region: str('Region of the cluster.'),
      zone: str('Deprecated: use zones.'),
      zones: arr(str(), 'Zones of the cluster.'),
      taints: arr(taint(), 'Taints keep workloads away unless they tolerate them.'),
      resourceModels: arr(
        obj(
          {
            grade: int('Index of the model; larger grades hold bigger nodes.'),
            ranges: arr(
              obj({ name: str('cpu, memory, storage or ephemeral-storage.'), min: quantity('Inclusive lower bound.'), max: quantity('Exclusive upper bound.') }, { required: ['name', 'min', 'max'] }),
              'Resource ranges of the grade.',
            ),
          },
          { required: ['grade', 'ranges'] },
        ),
        'Node size grades used to estimate available replicas.',
      ),
    },
    { required: ['syncMode'], description: 'How to reach and describe the member cluster.' },
  );
  const status = obj(
    {
      kubernetesVersion: str('Version of the member cluster.'),
      apiEnablements: arr(
        obj({ groupVersion: str(), resources: arr(obj({ name: str(), kind: str() }, { required: ['name', 'kind'] })) }, { required: ['groupVersion'] }),
        'The APIs the member serves.',
      ),
      conditions: conditions('Ready and CompleteAPIEnablements.'),
      nodeSummary: obj({ totalNum: int(), readyNum: int() }, { description: 'Node counts.' }),
      resourceSummary: obj(
        {
          allocatable: resourceList(),
          allocating: resourceList(),
          allocated: resourceList(),
          allocatableModelings: arr(obj({ grade: int(), count: int() }, { required: ['grade', 'count'] })),
        },
        { description: 'Resources of the member cluster.' },
      ),
      remedyActions: arr(str(), 'Remedy actions in force for the cluster.'),
    },
    { description: 'What the control plane observed of the cluster.' },
  );
  return crd({
    group: clusterGroup,
    kind: 'Cluster',
    plural: 'clusters',
    scope: 'Cluster',
    versions: [
      {
        name: 'v1alpha1',
        schema: kindSchema('A member cluster.', spec, status),
        status: true,
        columns: [
          column('VERSION', '.status.kubernetesVersion'),
          column('MODE', '.spec.syncMode'),
          column('READY', '.status.conditions[?(@.type=="Ready")].status'),
          ageColumn,
          column('ZONES', '.spec.zones', 'string', { priority: 1 }),
          column('REGION', '.spec.region', 'string', { priority: 1 }),
          column('PROVIDER', '.spec.provider', 'string', { priority: 1 }),
          column('API-ENDPOINT', '.spec.apiEndpoint', 'string', { priority: 1 }),
          column('PROXY-URL', '.spec.proxyURL', 'string', { priority: 1 }),
        ],
      },
    ],
  });
}

export function clusterCRDs(): CustomResourceDefinition[] {
  return [cluster()];
}
