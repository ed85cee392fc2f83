// autoscaling.karmada.io/v1alpha1: FederatedHPA and CronFederatedHPA. The metric, behaviour and
// status shapes are autoscaling/v2's and are kept open here.
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { ageColumn, arr, bool, column, crd, int, karmadaCategory, kindSchema, obj, preserved, str, timestamp } from './schema.js';

export const autoscalingGroup = 'autoscaling.karmada.io';

function scaleTargetRef(what: string) {
  return obj({ apiVersion: str(), kind: str(), name: str() }, { required: ['kind', 'name'], description: what });
}

function federatedHPA(): CustomResourceDefinition {
  const spec = obj(
    {
      scaleTargetRef: scaleTargetRef('The workload to scale.'),
      minReplicas: int({ default: 1, minimum: 1, description: 'Lower bound on replicas across clusters.' }),
      maxReplicas: int({ minimum: 1, description: 'Upper bound on replicas across clusters.' }),
      metrics: arr(preserved('An autoscaling/v2 MetricSpec.'), 'Metrics to scale on; CPU at 80% when empty.'),
      behavior: preserved('autoscaling/v2 scale-up and scale-down behaviour.'),
    },
    { required: ['scaleTargetRef', 'maxReplicas'], description: 'A HorizontalPodAutoscaler across member clusters.' },
  );
  return crd({
    group: autoscalingGroup,
    kind: 'FederatedHPA',
    plural: 'federatedhpas',
    scope: 'Namespaced',
    shortNames: ['fhpa'],
    categories: [karmadaCategory],
    versions: [
      {
        name: 'v1alpha1',
        schema: kindSchema('Scales a workload on metrics aggregated across member clusters.', spec, preserved('autoscaling/v2 HorizontalPodAutoscalerStatus.')),
        status: true,
        columns: [
          column('REFERENCE-KIND', '.spec.scaleTargetRef.kind'),
          column('REFERENCE-NAME', '.spec.scaleTargetRef.name'),
          column('MINPODS', '.spec.minReplicas', 'integer'),
          column('MAXPODS', '.spec.maxReplicas', 'integer'),
          column('REPLICAS', '.status.currentReplicas', 'integer'),
          ageColumn,
        ],
      },
    ],
  });
}

function cronFederatedHPA(): CustomResourceDefinition {
  const rule = obj(
    {
      name: str('Rule name, unique in the object.'),
      schedule: str('Cron expression, e.g. "0 8 * * 1-5".'),
      targetReplicas: int('Replicas to set on a workload target.'),
      targetMinReplicas: int('minReplicas to set on a FederatedHPA target.'),
      targetMaxReplicas: int('maxReplicas to set on a FederatedHPA target.'),
      suspend: bool('Skip this rule.'),
      timeZone: str('IANA time zone of the schedule.'),
      successfulHistoryLimit: int({ default: 3, minimum: 0, maximum: 32, description: 'Successful runs to keep.' }),
      failedHistoryLimit: int({ default: 3, minimum: 0, maximum: 32, description: 'Failed runs to keep.' }),
    },
    { required: ['name', 'schedule'] },
  );
  const spec = obj(
    { scaleTargetRef: scaleTargetRef('A workload or a FederatedHPA.'), rules: arr(rule, 'Scaling rules.') },
    { required: ['scaleTargetRef', 'rules'], description: 'Scheduled scaling.' },
  );
  const success = obj({ scheduleTime: timestamp(), executionTime: timestamp(), appliedReplicas: int(), appliedMaxReplicas: int(), appliedMinReplicas: int() }, { required: ['scheduleTime', 'executionTime'] });
  const failure = obj({ scheduleTime: timestamp(), executionTime: timestamp(), message: str() }, { required: ['scheduleTime', 'executionTime', 'message'] });
  const status = obj(
    {
      executionHistories: arr(
        obj(
          { ruleName: str(), nextExecutionTime: timestamp(), successfulExecutions: arr(success), failedExecutions: arr(failure) },
          { required: ['ruleName'] },
        ),
        'Runs of each rule.',
      ),
    },
    { description: 'History of scaling runs.' },
  );
  return crd({
    group: autoscalingGroup,
    kind: 'CronFederatedHPA',
    plural: 'cronfederatedhpas',
    scope: 'Namespaced',
    shortNames: ['cronfhpa'],
    categories: [karmadaCategory],
    versions: [
      {
        name: 'v1alpha1',
        schema: kindSchema('Scales a workload or a FederatedHPA on a cron schedule.', spec, status),
        status: true,
        columns: [column('REFERENCE-KIND', '.spec.scaleTargetRef.kind'), column('REFERENCE-NAME', '.spec.scaleTargetRef.name'), ageColumn],
      },
    ],
  });
}

export function autoscalingCRDs(): CustomResourceDefinition[] {
  return [federatedHPA(), cronFederatedHPA()];
}
