// policy.karmada.io/v1alpha1: propagation, override, taint and quota policies.
import type { Schema } from '../../../apimachinery/schema.js';
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { taintEffects } from '../cluster.js';
import { clusterAffinity, failover, placement, resourceSelectors, suspension } from './common.js';
import { ageColumn, arr, bool, column, crd, int, karmadaCategory, kindSchema, obj, preserved, resourceList, str, strMap } from './schema.js';

export const policyGroup = 'policy.karmada.io';
const version = 'v1alpha1';

function propagationSpec(): Schema {
  return obj(
    {
      resourceSelectors: resourceSelectors('The resource templates to propagate; at least one.', 1),
      association: bool('Deprecated: use propagateDeps.'),
      propagateDeps: bool('Also propagate what the resources depend on (ConfigMaps, Secrets, ...).'),
      placement: placement(),
      priority: int({ default: 0, description: 'Higher-priority policies win when several match a resource.' }),
      preemption: str({ description: 'Always: take resources from lower-priority policies; Never: do not.', enum: ['Always', 'Never'], default: 'Never' }),
      dependentOverrides: arr(str(), 'OverridePolicies that must exist before propagation starts.'),
      schedulerName: str({ description: 'The scheduler that places the resources.', default: 'default-scheduler' }),
      failover: failover(),
      conflictResolution: str({ description: 'What to do when the resource already exists in a member: Abort or Overwrite.', enum: ['Abort', 'Overwrite'], default: 'Abort' }),
      activationPreference: str({ description: 'Lazy: policy changes apply only when the resource template changes.', enum: ['Lazy'] }),
      suspension: suspension(),
      preserveResourcesOnDeletion: bool('Keep the propagated resources in members when the template is deleted.'),
      schedulePriority: obj(
        {
          priorityClassSource: str({ description: 'Where the priority class comes from; only KubePriorityClass.', enum: ['KubePriorityClass'] }),
          priorityClassName: str('Name of the PriorityClass.'),
        },
        { required: ['priorityClassSource', 'priorityClassName'], description: 'Scheduling priority of the resources.' },
      ),
    },
    { required: ['resourceSelectors'], description: 'What to propagate and where.' },
  );
}

function propagationPolicy(kind: 'PropagationPolicy' | 'ClusterPropagationPolicy'): CustomResourceDefinition {
  const namespaced = kind === 'PropagationPolicy';
  const what = namespaced
    ? 'Propagates resource templates of its namespace to member clusters.'
    : 'Propagates resource templates of any namespace, and cluster-scoped ones, to member clusters.';
  return crd({
    group: policyGroup,
    kind,
    plural: namespaced ? 'propagationpolicies' : 'clusterpropagationpolicies',
    scope: namespaced ? 'Namespaced' : 'Cluster',
    shortNames: [namespaced ? 'pp' : 'cpp'],
    categories: [karmadaCategory],
    versions: [
      {
        name: version,
        schema: kindSchema(what, propagationSpec()),
        columns: [column('CONFLICT-RESOLUTION', '.spec.conflictResolution'), column('PRIORITY', '.spec.priority'), ageColumn],
      },
    ],
  });
}

function overriders(): Schema {
  const value = preserved('Any JSON value.', true);
  const patchOps = (what: string) =>
    arr(obj({ subPath: str('JSON pointer inside the document.'), operator: str({ enum: ['add', 'remove', 'replace'] }), value }, { required: ['subPath', 'operator'] }), what);
  const commandArgs = (what: string) =>
    arr(
      obj(
        { containerName: str('The container to change.'), operator: str({ enum: ['add', 'remove'] }), value: arr(str(), 'Items to add or remove.') },
        { required: ['containerName', 'operator'] },
      ),
      what,
    );
  const mapOverrider = (what: string) =>
    arr(obj({ operator: str({ enum: ['add', 'remove', 'replace'] }), value: strMap('Keys and values.') }, { required: ['operator'] }), what);
  return obj(
    {
      plaintext: arr(
        obj({ path: str('JSON pointer to the field.'), operator: str({ enum: ['add', 'remove', 'replace'] }), value }, { required: ['path', 'operator'] }),
        'JSON-patch style changes.',
      ),
      imageOverrider: arr(
        obj(
          {
            predicate: obj({ path: str('JSON pointer to the image field.') }, { required: ['path'], description: 'Which image to change; all container images when absent.' }),
            component: str({ description: 'Registry, Repository or Tag.', enum: ['Registry', 'Repository', 'Tag'] }),
            operator: str({ enum: ['add', 'remove', 'replace'] }),
            value: str('The new component value.'),
          },
          { required: ['component', 'operator'] },
        ),
        'Changes to container images.',
      ),
      commandOverrider: commandArgs('Changes to container commands.'),
      argsOverrider: commandArgs('Changes to container args.'),
      labelsOverrider: mapOverrider('Changes to labels.'),
      annotationsOverrider: mapOverrider('Changes to annotations.'),
      fieldOverrider: arr(
        obj(
          { fieldPath: str('JSON pointer to a string field holding JSON or YAML.'), json: patchOps('Changes to a JSON document.'), yaml: patchOps('Changes to a YAML document.') },
          { required: ['fieldPath'] },
        ),
        'Changes inside JSON or YAML embedded in a string field.',
      ),
    },
    { description: 'The changes to make, applied image, command, args, labels, annotations, field, plaintext.' },
  );
}

function overridePolicy(kind: 'OverridePolicy' | 'ClusterOverridePolicy'): CustomResourceDefinition {
  const namespaced = kind === 'OverridePolicy';
  const spec = obj(
    {
      resourceSelectors: resourceSelectors('The resource templates to change; all in scope when empty.'),
      overrideRules: arr(
        obj({ targetCluster: clusterAffinity('Clusters the rule applies to; all when absent.'), overriders: overriders() }, { required: ['overriders'] }),
        'Per-cluster changes.',
      ),
      targetCluster: clusterAffinity('Deprecated: use overrideRules.'),
      overriders: { ...overriders(), description: 'Deprecated: use overrideRules.' },
    },
    { description: 'What to change in which clusters.' },
  );
  return crd({
    group: policyGroup,
    kind,
    plural: namespaced ? 'overridepolicies' : 'clusteroverridepolicies',
    scope: namespaced ? 'Namespaced' : 'Cluster',
    shortNames: [namespaced ? 'op' : 'cop'],
    categories: [karmadaCategory],
    versions: [{ name: version, schema: kindSchema(namespaced ? 'Changes resource templates of its namespace per cluster.' : 'Changes resource templates per cluster, in any namespace.', spec) }],
  });
}

function clusterTaintPolicy(): CustomResourceDefinition {
  const matchConditions = (what: string) =>
    arr(
      obj(
        { conditionType: str('Cluster condition type.'), operator: str({ description: 'In or NotIn.', enum: ['In', 'NotIn'] }), statusValues: arr(str(), 'Condition statuses.') },
        { required: ['conditionType', 'operator', 'statusValues'] },
      ),
      what,
    );
  const spec = obj(
    {
      targetClusters: clusterAffinity('Clusters the policy watches; all when absent.'),
      addOnConditions: matchConditions('Add the taints when all these conditions match.'),
      removeOnConditions: matchConditions('Remove the taints when all these conditions match.'),
      taints: arr(obj({ key: str('Taint key.'), effect: str({ enum: [...taintEffects] }), value: str('Taint value.') }, { required: ['key', 'effect'] }), {
        minItems: 1,
        description: 'Taints to add or remove.',
      }),
    },
    { required: ['taints'], description: 'Turns cluster conditions into taints.' },
  );
  return crd({
    group: policyGroup,
    kind: 'ClusterTaintPolicy',
    plural: 'clustertaintpolicies',
    scope: 'Cluster',
    versions: [{ name: version, schema: kindSchema('Adds and removes cluster taints from cluster conditions.', spec) }],
  });
}

function federatedResourceQuota(): CustomResourceDefinition {
  const spec = obj(
    {
      overall: resourceList('Total resources allowed across clusters.'),
      staticAssignments: arr(obj({ clusterName: str('The cluster.'), hard: resourceList('Resources allowed in that cluster.') }, { required: ['clusterName', 'hard'] }), 'Fixed shares per cluster.'),
    },
    { required: ['overall'], description: 'The quota across clusters.' },
  );
  const status = obj(
    {
      overall: resourceList('Total resources allowed.'),
      overallUsed: resourceList('Total resources in use.'),
      aggregatedStatus: arr(obj({ clusterName: str(), hard: resourceList(), used: resourceList() }, { required: ['clusterName'] }), 'Per-cluster quota status.'),
    },
    { description: 'Observed usage.' },
  );
  return crd({
    group: policyGroup,
    kind: 'FederatedResourceQuota',
    plural: 'federatedresourcequotas',
    scope: 'Namespaced',
    categories: [karmadaCategory],
    versions: [
      {
        name: version,
        schema: kindSchema('A resource quota for a namespace across member clusters.', spec, status),
        status: true,
        columns: [column('OVERALL', '.status.overall'), column('OVERALL_USED', '.status.overallUsed')],
      },
    ],
  });
}

export function policyCRDs(): CustomResourceDefinition[] {
  return [
    propagationPolicy('PropagationPolicy'),
    propagationPolicy('ClusterPropagationPolicy'),
    overridePolicy('OverridePolicy'),
    overridePolicy('ClusterOverridePolicy'),
    clusterTaintPolicy(),
    federatedResourceQuota(),
  ];
}
