// work.karmada.io: Work (v1alpha1) and ResourceBinding / ClusterResourceBinding (v1alpha2 stored,
// v1alpha1 still served).
import type { Schema } from '../../../apimachinery/schema.js';
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { failover, objectReference, placement, replicaRequirements, suspension } from './common.js';
import { ageColumn, arr, bool, column, conditions, crd, int, karmadaCategory, kindSchema, obj, preserved, resourceList, str, strMap, timestamp } from './schema.js';

export const workGroup = 'work.karmada.io';

function work(): CustomResourceDefinition {
  const spec = obj(
    {
      workload: obj({ manifests: arr(preserved('A complete Kubernetes object.'), 'The objects to apply in the member cluster.') }, { description: 'What to apply.' }),
      suspendDispatching: bool('Stop applying this Work to the member cluster.'),
      preserveResourcesOnDeletion: bool('Keep the applied objects when the Work is deleted.'),
    },
    { description: 'The objects to apply to one member cluster.' },
  );
  const identifier = obj(
    {
      ordinal: int('Index of the manifest in spec.workload.manifests.'),
      group: str(),
      version: str(),
      kind: str(),
      resource: str(),
      namespace: str(),
      name: str(),
    },
    { required: ['ordinal', 'version', 'kind', 'resource', 'name'], description: 'Which manifest this status is about.' },
  );
  const status = obj(
    {
      conditions: conditions('Applied, Progressing, Available, Degraded, Dispatching.'),
      manifestStatuses: arr(
        obj({ identifier, status: preserved('Status of the object in the member cluster.'), health: str({ enum: ['Healthy', 'Unhealthy', 'Unknown'] }) }, { required: ['identifier'] }),
        'Status of each applied object.',
      ),
    },
    { description: 'What happened in the member cluster.' },
  );
  return crd({
    group: workGroup,
    kind: 'Work',
    plural: 'works',
    scope: 'Namespaced',
    shortNames: ['wk'],
    categories: [karmadaCategory],
    versions: [
      {
        name: 'v1alpha1',
        schema: kindSchema('A set of objects for one member cluster; lives in karmada-es-<cluster>.', spec, status),
        status: true,
        columns: [column('WORKLOAD-KIND', '.spec.workload.manifests[*].kind'), column('APPLIED', '.status.conditions[?(@.type=="Applied")].status'), ageColumn],
      },
    ],
  });
}

function targetClusters(description: string): Schema {
  return arr(
    obj(
      {
        name: str('Cluster name.'),
        replicas: int('Replicas assigned to the cluster.'),
        components: arr(obj({ name: str(), replicas: int() }, { required: ['name', 'replicas'] }), 'Replicas per component.'),
      },
      { required: ['name'] },
    ),
    description,
  );
}

const purgeModes = ['Directly', 'Gracefully', 'Never', 'Immediately', 'Graciously'];

function bindingSpecV1alpha2(): Schema {
  return obj(
    {
      resource: objectReference('The resource template this binding is for.'),
      propagateDeps: bool('Also propagate the dependencies of the resource.'),
      replicaRequirements: replicaRequirements(),
      replicas: int('Replicas of the workload.'),
      components: arr(
        obj({ name: str({ maxLength: 32 }), replicas: int(), replicaRequirements: replicaRequirements() }, { required: ['name', 'replicas'] }),
        'Pod templates of a multi-template workload.',
      ),
      clusters: targetClusters('The scheduling result: clusters and their replicas.'),
      placement: placement(),
      gracefulEvictionTasks: arr(
        obj(
          {
            fromCluster: str('The cluster being evicted from.'),
            purgeMode: str({ enum: purgeModes }),
            replicas: int(),
            reason: str({ maxLength: 32 }),
            message: str({ maxLength: 1024 }),
            producer: str('Who created the task.'),
            gracePeriodSeconds: int(),
            suppressDeletion: bool(),
            preservedLabelState: strMap('State kept from the evicted copy.'),
            clustersBeforeFailover: arr(str()),
            creationTimestamp: timestamp(),
          },
          { required: ['fromCluster', 'reason', 'producer'] },
        ),
        'Evictions waiting for the replacement to become healthy.',
      ),
      requiredBy: arr(obj({ namespace: str(), name: str(), clusters: targetClusters('Where the dependant is scheduled.') }, { required: ['name'] }), 'Bindings that depend on this one.'),
      schedulerName: str('The scheduler that schedules this binding.'),
      failover: failover(),
      conflictResolution: str({ enum: ['Abort', 'Overwrite'], default: 'Abort', description: 'What to do when the resource already exists in a member.' }),
      rescheduleTriggeredAt: timestamp('Asks for a fresh schedule when newer than status.lastScheduledTime.'),
      suspension: suspension(true),
      preserveResourcesOnDeletion: bool('Keep the propagated resources in members when the template is deleted.'),
      schedulePriority: obj({ priority: int({ default: 0 }) }, { description: 'Scheduling priority.' }),
      workloadAffinityGroups: obj({ affinityGroup: str(), antiAffinityGroup: str() }, { description: 'Workload affinity groups of the resource.' }),
    },
    { required: ['resource'], description: 'The resource, its requirements and where it is scheduled.' },
  );
}

function bindingStatus(withHealth: boolean): Schema {
  const item: Record<string, Schema> = {
    clusterName: str(),
    status: preserved('Status reflected from the member cluster.'),
    applied: bool(),
    appliedMessage: str(),
  };
  if (withHealth) item.health = str({ enum: ['Healthy', 'Unhealthy', 'Unknown'] });
  const props: Record<string, Schema> = {
    conditions: conditions('Scheduled and FullyApplied.'),
    aggregatedStatus: arr(obj(item, { required: ['clusterName'] }), 'Status of the resource in each cluster.'),
  };
  if (withHealth) {
    props.schedulerObservedGeneration = int({ format: 'int64' });
    props.schedulerObservingAffinityName = str();
    props.lastScheduledTime = timestamp();
  }
  return obj(props);
}

function bindingSpecV1alpha1(): Schema {
  const resource = objectReference('The resource template this binding is for.');
  resource.properties = { ...resource.properties, replicas: int(), resourcePerReplicas: resourceList() };
  return obj({ resource, clusters: targetClusters('The scheduling result.') }, { required: ['resource'] });
}

function binding(kind: 'ResourceBinding' | 'ClusterResourceBinding'): CustomResourceDefinition {
  const namespaced = kind === 'ResourceBinding';
  const what = namespaced ? 'Binds a namespaced resource template to its placement and schedule.' : 'Binds a cluster-scoped resource template to its placement and schedule.';
  return crd({
    group: workGroup,
    kind,
    plural: namespaced ? 'resourcebindings' : 'clusterresourcebindings',
    scope: namespaced ? 'Namespaced' : 'Cluster',
    shortNames: [namespaced ? 'rb' : 'crb'],
    categories: [karmadaCategory],
    versions: [
      { name: 'v1alpha1', schema: kindSchema(what, bindingSpecV1alpha1(), bindingStatus(false)), status: true, storage: false },
      {
        name: 'v1alpha2',
        schema: kindSchema(what, bindingSpecV1alpha2(), bindingStatus(true)),
        status: true,
        storage: true,
        columns: [column('SCHEDULED', '.status.conditions[?(@.type=="Scheduled")].status'), column('FULLYAPPLIED', '.status.conditions[?(@.type=="FullyApplied")].status'), ageColumn],
      },
    ],
  });
}

export function workCRDs(): CustomResourceDefinition[] {
  return [work(), binding('ResourceBinding'), binding('ClusterResourceBinding')];
}
