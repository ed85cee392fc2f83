// remedy.karmada.io/v1alpha1 Remedy: actions taken on clusters whose conditions match.
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { arr, crd, kindSchema, obj, str } from './schema.js';

export const remedyGroup = 'remedy.karmada.io';

function remedy(): CustomResourceDefinition {
  const spec = obj({
    clusterAffinity: obj({ clusterNames: arr(str()) }, { description: 'Clusters the remedy applies to; all when absent.' }),
    decisionMatches: arr(
      obj({
        clusterConditionMatch: obj(
          { conditionType: str('Cluster condition type.'), operator: str({ enum: ['Equal', 'NotEqual'] }), conditionStatus: str('Condition status.') },
          { required: ['conditionType', 'operator', 'conditionStatus'] },
        ),
      }),
      'Any match triggers the actions.',
    ),
    actions: arr(str({ enum: ['TrafficControl'] }), 'Actions to take, e.g. TrafficControl.'),
  });
  return crd({
    group: remedyGroup,
    kind: 'Remedy',
    plural: 'remedies',
    scope: 'Cluster',
    categories: ['karmada-io'],
    versions: [{ name: 'v1alpha1', schema: kindSchema('Actions to take on clusters in a given state.', spec) }],
  });
}

export function remedyCRDs(): CustomResourceDefinition[] {
  return [remedy()];
}
