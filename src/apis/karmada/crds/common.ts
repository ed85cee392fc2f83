// Schema pieces several Karmada kinds share: selectors, cluster affinity, placement, failover.
import type { Schema } from '../../../apimachinery/schema.js';
import { arr, bool, int, labelSelector, obj, str, strMap, resourceList, timestamp } from './schema.js';

function resourceSelector(): Schema {
  return obj(
    {
      apiVersion: str('API version of the target resources.'),
      kind: str('Kind of the target resources.'),
      namespace: str('Namespace of the target resources; defaults to the policy namespace for namespaced policies.'),
      name: str('Name of the target resource; when set, labelSelector is ignored.'),
      labelSelector: labelSelector('Selects resources by label; ignored when name is set.'),
    },
    { required: ['apiVersion', 'kind'], description: 'Selects the resource templates a policy applies to.' },
  );
}

export function resourceSelectors(description: string, minItems?: number): Schema {
  return arr(resourceSelector(), { description, minItems });
}

function fieldSelector(): Schema {
  return obj(
    {
      matchExpressions: arr(
        obj(
          {
            key: str('Cluster field: provider, region or zone.'),
            operator: str('In or NotIn.'),
            values: arr(str(), { listType: 'atomic' }),
          },
          { required: ['key', 'operator'] },
        ),
        'Requirements on cluster fields; all must hold.',
      ),
    },
    { description: 'Selects clusters by provider, region or zone.' },
  );
}

function clusterAffinityProps(): Record<string, Schema> {
  return {
    labelSelector: labelSelector('Selects clusters by label; when absent, labels are not considered.'),
    fieldSelector: fieldSelector(),
    clusterNames: arr(str(), 'Clusters selected by name.'),
    exclude: arr(str(), 'Clusters never selected.'),
  };
}

/** policy ClusterAffinity: names, excluded names, label and field selectors, all ANDed. */
export function clusterAffinity(description = 'A group of clusters: by name, by label or by provider/region/zone, minus exclusions.'): Schema {
  return obj(clusterAffinityProps(), { description });
}

function affinityName(): Schema {
  return str({ description: 'Name of this affinity term, unique within the policy.', minLength: 1, maxLength: 32 });
}

function clusterAffinities(): Schema {
  return arr(
    obj(
      {
        affinityName: affinityName(),
        ...clusterAffinityProps(),
        overflowAffinities: arr(obj({ affinityName: affinityName(), ...clusterAffinityProps() }, { required: ['affinityName'] }), 'Groups used when the primary group cannot hold all replicas.'),
      },
      { required: ['affinityName'] },
    ),
    'Ordered groups of clusters, tried one after another; cannot be used with clusterAffinity.',
  );
}

/** corev1.Toleration */
export function toleration(): Schema {
  return obj({
    key: str('The taint key; empty with Exists matches every taint.'),
    operator: str('Exists or Equal (default Equal).'),
    value: str('The taint value to match with Equal.'),
    effect: str('NoSchedule, PreferNoSchedule or NoExecute; empty matches all.'),
    tolerationSeconds: int({ format: 'int64', description: 'How long a NoExecute taint is tolerated before eviction.' }),
  });
}

/** corev1.Taint */
export function taint(): Schema {
  return obj(
    {
      key: str('The taint key.'),
      value: str('The taint value.'),
      effect: str('NoSchedule, PreferNoSchedule or NoExecute.'),
      timeAdded: timestamp('When a NoExecute taint was added.'),
    },
    { required: ['key', 'effect'] },
  );
}

function spreadConstraint(): Schema {
  return obj({
    spreadByField: str({ description: 'Cluster field to spread over: cluster, region, zone or provider.', enum: ['cluster', 'region', 'zone', 'provider'] }),
    spreadByLabel: str('Cluster label to spread over; cannot be used with spreadByField.'),
    maxGroups: int('Upper bound on the number of groups chosen.'),
    minGroups: int('Lower bound on the number of groups chosen.'),
  });
}

function replicaScheduling(): Schema {
  return obj(
    {
      replicaSchedulingType: str({ description: 'Duplicated copies all replicas to every cluster; Divided splits them.', enum: ['Duplicated', 'Divided'], default: 'Divided' }),
      replicaDivisionPreference: str({ description: 'How Divided replicas are split: Aggregated (fewest clusters) or Weighted.', enum: ['Aggregated', 'Weighted'] }),
      weightPreference: obj(
        {
          staticWeightList: arr(
            obj({ targetCluster: clusterAffinity('The clusters this weight applies to.'), weight: int({ format: 'int64', minimum: 1, description: 'Relative share of replicas.' }) }, { required: ['targetCluster', 'weight'] }),
            'Fixed weights per group of clusters.',
          ),
          dynamicWeight: str({ description: 'Weights computed from a factor; only AvailableReplicas.', enum: ['AvailableReplicas'] }),
        },
        { description: 'Weights used when replicaDivisionPreference is Weighted.' },
      ),
    },
    { description: 'How replicas are scheduled across the selected clusters.' },
  );
}

function workloadAffinity(): Schema {
  const term = (what: string) => obj({ groupByLabelKey: str('Workload label whose value forms the group.') }, { required: ['groupByLabelKey'], description: what });
  return obj(
    { affinity: term('Workloads of the same group go to the same clusters.'), antiAffinity: term('Workloads of the same group go to different clusters.') },
    { description: 'Co-location rules between workloads (alpha).' },
  );
}

/** policy Placement */
export function placement(): Schema {
  return obj(
    {
      clusterAffinity: clusterAffinity('Restricts scheduling to a group of clusters.'),
      clusterAffinities: clusterAffinities(),
      clusterTolerations: arr(toleration(), 'Cluster taints this placement tolerates.'),
      spreadConstraints: arr(spreadConstraint(), 'How to spread over clusters, regions, zones or providers.'),
      replicaScheduling: replicaScheduling(),
      workloadAffinity: workloadAffinity(),
    },
    { description: 'Where the selected resources may go and how replicas are divided.' },
  );
}

function statePreservation(): Schema {
  return obj(
    {
      rules: arr(
        obj(
          { aliasLabelName: str('Label name injected on the new cluster.'), jsonPath: str('JSONPath into the status of the failed copy.') },
          { required: ['aliasLabelName', 'jsonPath'] },
        ),
        'State to carry over to the cluster that takes over.',
      ),
    },
    { required: ['rules'], description: 'State kept from the failed copy and injected as labels.' },
  );
}

export function failover(): Schema {
  return obj(
    {
      application: obj(
        {
          decisionConditions: obj({ tolerationSeconds: int({ default: 300, description: 'How long an unhealthy application is tolerated before failover.' }) }, { description: 'When the application is considered failed.' }),
          purgeMode: str({ description: 'How the old copy is removed: Directly, Gracefully or Never (Immediately and Graciously, the names before v1.19, are rewritten with a warning).', enum: ['Directly', 'Gracefully', 'Never', 'Immediately', 'Graciously'], default: 'Gracefully' }),
          gracePeriodSeconds: int('Longest wait for the new copy before the old one is removed (Gracefully only).'),
          statePreservation: statePreservation(),
        },
        { required: ['decisionConditions'], description: 'Failover when the application becomes unhealthy.' },
      ),
      cluster: obj(
        {
          purgeMode: str({ description: 'How the old copy is removed: Directly or Gracefully (Immediately and Graciously, the names before v1.19, are rewritten with a warning).', enum: ['Directly', 'Gracefully', 'Immediately', 'Graciously'], default: 'Gracefully' }),
          statePreservation: statePreservation(),
        },
        { description: 'Failover when the cluster fails.' },
      ),
    },
    { description: 'Failover behaviour for the selected resources.' },
  );
}

export function suspension(withScheduling = false): Schema {
  const props: Record<string, Schema> = {
    dispatching: bool('Stop dispatching to every cluster.'),
    dispatchingOnClusters: obj({ clusterNames: arr(str(), 'Clusters that get no updates.') }, { description: 'Stop dispatching to some clusters.' }),
  };
  if (withScheduling) props.scheduling = bool('Stop scheduling.');
  return obj(props, { description: 'Pauses propagation.' });
}

export function objectReference(description: string, withUid = true): Schema {
  const props: Record<string, Schema> = {
    apiVersion: str('API version of the referent.'),
    kind: str('Kind of the referent.'),
    namespace: str('Namespace of the referent.'),
    name: str('Name of the referent.'),
  };
  if (withUid) {
    props.uid = str('UID of the referent.');
    props.resourceVersion = str('Resource version of the referent when bound.');
  }
  return obj(props, { required: ['apiVersion', 'kind', 'name'], description });
}

/** corev1.NodeSelector, as a hard node affinity */
function nodeSelector(): Schema {
  const requirement = obj({ key: str(), operator: str(), values: arr(str(), { listType: 'atomic' }) }, { required: ['key', 'operator'] });
  return obj(
    { nodeSelectorTerms: arr(obj({ matchExpressions: arr(requirement), matchFields: arr(requirement) }), 'Terms ORed together.') },
    { required: ['nodeSelectorTerms'], description: 'Node affinity the replicas require.' },
  );
}

export function replicaRequirements(): Schema {
  return obj(
    {
      nodeClaim: obj(
        { hardNodeAffinity: nodeSelector(), nodeSelector: strMap('Node labels the replicas require.'), tolerations: arr(toleration(), 'Node taints the replicas tolerate.') },
        { description: 'Node constraints of one replica.' },
      ),
      resourceRequest: resourceList('Resources one replica requests.'),
      namespace: str('Namespace of the workload.'),
      priorityClassName: str('Priority class of the replicas.'),
    },
    { description: 'What one replica needs.' },
  );
}
