// apps.karmada.io/v1alpha1 WorkloadRebalancer: a one-shot request to reschedule workloads.
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { arr, crd, int, kindSchema, obj, str, timestamp } from './schema.js';

export const appsGroup = 'apps.karmada.io';

function workloadRef() {
  return obj({ apiVersion: str(), kind: str(), name: str(), namespace: str() }, { required: ['apiVersion', 'kind', 'name'] });
}

function workloadRebalancer(): CustomResourceDefinition {
  const spec = obj(
    {
      workloads: arr(workloadRef(), { minItems: 1, description: 'The workloads to reschedule.' }),
      ttlSecondsAfterFinished: int('Delete the rebalancer this long after it finished.'),
    },
    { required: ['workloads'] },
  );
  const status = obj({
    observedWorkloads: arr(
      obj({ workload: workloadRef(), result: str({ enum: ['Successful', 'Failed'] }), reason: str() }, { required: ['workload'] }),
      'Outcome per workload.',
    ),
    observedGeneration: int({ format: 'int64' }),
    finishTime: timestamp('When every workload was handled.'),
  });
  return crd({
    group: appsGroup,
    kind: 'WorkloadRebalancer',
    plural: 'workloadrebalancers',
    scope: 'Cluster',
    versions: [{ name: 'v1alpha1', schema: kindSchema('Asks the scheduler to reschedule workloads from scratch.', spec, status), status: true }],
  });
}

export function appsCRDs(): CustomResourceDefinition[] {
  return [workloadRebalancer()];
}
