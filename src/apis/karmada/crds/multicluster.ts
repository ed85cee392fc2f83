// multicluster.x-k8s.io/v1alpha1: the Kubernetes Multi-Cluster Services API (ServiceExport, ServiceImport).
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { arr, column, conditions, crd, int, kindSchema, obj, str } from './schema.js';

const multiclusterGroup = 'multicluster.x-k8s.io';

function serviceExport(): CustomResourceDefinition {
  const schema = kindSchema('Exports the Service of the same name to the cluster set.', obj({}), obj({ conditions: conditions() }), []);
  delete schema.properties!.spec;
  return crd({
    group: multiclusterGroup,
    kind: 'ServiceExport',
    plural: 'serviceexports',
    scope: 'Namespaced',
    shortNames: ['svcex'],
    versions: [{ name: 'v1alpha1', schema, status: true, columns: [column('Age', '.metadata.creationTimestamp', 'date')] }],
  });
}

function serviceImport(): CustomResourceDefinition {
  const spec = obj(
    {
      ports: arr(obj({ name: str(), protocol: str(), appProtocol: str(), port: int() }, { required: ['port'] }), { listType: 'atomic' }),
      ips: arr(str(), { maxItems: 1, description: 'The virtual IP.' }),
      type: str({ enum: ['ClusterSetIP', 'Headless'] }),
      sessionAffinity: str(),
      sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: int() }) }),
    },
    { required: ['ports', 'type'] },
  );
  const status = obj({ clusters: arr(obj({ cluster: str() }, { required: ['cluster'] }), 'Clusters exporting the service.') });
  return crd({
    group: multiclusterGroup,
    kind: 'ServiceImport',
    plural: 'serviceimports',
    scope: 'Namespaced',
    shortNames: ['svcim'],
    versions: [
      {
        name: 'v1alpha1',
        schema: kindSchema('A Service imported from the cluster set.', spec, status, []),
        status: true,
        columns: [column('Type', '.spec.type', 'string', { description: 'The type of this ServiceImport' }), column('IP', '.spec.ips', 'string'), column('Age', '.metadata.creationTimestamp', 'date')],
      },
    ],
  });
}

export function multiclusterCRDs(): CustomResourceDefinition[] {
  return [serviceExport(), serviceImport()];
}
