// What karmada-agent's control-plane identity may do (Karmada's `karmadactl register`
// GenerateRBACResources): the user system:karmada:agent:<cluster> (group system:karmada:agents),
// its own Cluster and its status, its Lease and Secrets in karmada-cluster, the Works of its own
// execution space, events, CSRs for its certificate. Everything else answers 403. Pure.
import type { KubeObject } from '../apimachinery/types.js';
import { executionSpaceName } from '../apis/karmada/work.js';
import type { PolicyRule } from '../apiserver/auth/rbac/rules.js';
import { ClusterLeaseNamespace } from './lease.js';
import { KarmadaSystemLabel } from '../apis/karmada/wellknown.js';

/** ClusterPermissionPrefix and ClusterPermissionGroups of Karmada's register */
export const AgentUserPrefix = 'system:karmada:agent:';
export const AgentGroup = 'system:karmada:agents';

export const agentUserName = (cluster: string) => `${AgentUserPrefix}${cluster}`;

const rbacGroup = 'rbac.authorization.k8s.io';
const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule => ({ apiGroups, resources, verbs, ...(resourceNames ? { resourceNames } : {}) });
const labels = { [KarmadaSystemLabel]: 'true' };
const subjects = (cluster: string) => [{ apiGroup: rbacGroup, kind: 'User', name: agentUserName(cluster) }];

function role(kind: 'ClusterRole' | 'Role', name: string, namespace: string | undefined, rules: PolicyRule[]): KubeObject {
  return { apiVersion: `${rbacGroup}/v1`, kind, metadata: { name, ...(namespace ? { namespace } : {}), labels }, rules };
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, namespace: string | undefined, cluster: string): KubeObject {
  return { apiVersion: `${rbacGroup}/v1`, kind, metadata: { name, ...(namespace ? { namespace } : {}), labels }, subjects: subjects(cluster), roleRef: { apiGroup: rbacGroup, kind: kind === 'ClusterRoleBinding' ? 'ClusterRole' : 'Role', name } };
}

/** the ClusterRole, Roles and their bindings for one cluster's agent, in the order to create them */
export function agentRbacObjects(cluster: string, clusterNamespace = ClusterLeaseNamespace): KubeObject[] {
  const agent = `system:karmada:${cluster}:agent`;
  const secret = `system:karmada:${cluster}:agent-secret`;
  const lease = `system:karmada:${cluster}:agent-lease`;
  const work = `system:karmada:${cluster}:agent-work`;
  const es = executionSpaceName(cluster);
  return [
    role('ClusterRole', agent, undefined, [
      rule(['cluster.karmada.io'], ['clusters'], ['get', 'update', 'patch', 'delete'], [cluster]),
      rule(['cluster.karmada.io'], ['clusters'], ['create', 'list', 'watch']),
      rule(['cluster.karmada.io'], ['clusters/status'], ['update', 'patch'], [cluster]),
      // the dial-out tunnel the cluster proxy reaches this member through (ours; Karmada uses ANP)
      rule(['cluster.karmada.io'], ['clusters/tunnel'], ['get'], [cluster]),
      rule(['config.karmada.io'], ['resourceinterpreterwebhookconfigurations', 'resourceinterpretercustomizations'], ['get', 'list', 'watch']),
      rule([''], ['namespaces'], ['get']),
      rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['get', 'create']),
      rule([''], ['services'], ['list', 'watch']),
      rule([''], ['events'], ['patch', 'create', 'update']),
      rule(['events.k8s.io'], ['events'], ['patch', 'create', 'update']),
    ]),
    binding('ClusterRoleBinding', agent, undefined, cluster),
    role('Role', secret, clusterNamespace, [rule([''], ['secrets'], ['get', 'patch'], [cluster, `${cluster}-impersonator`]), rule([''], ['secrets'], ['create'])]),
    binding('RoleBinding', secret, clusterNamespace, cluster),
    role('Role', lease, clusterNamespace, [rule(['coordination.k8s.io'], ['leases'], ['get', 'update'], [cluster]), rule(['coordination.k8s.io'], ['leases'], ['create'])]),
    binding('RoleBinding', lease, clusterNamespace, cluster),
    role('Role', work, es, [rule(['work.karmada.io'], ['works'], ['get', 'create', 'list', 'watch', 'update', 'delete']), rule(['work.karmada.io'], ['works/status'], ['patch', 'update'])]),
    binding('RoleBinding', work, es, cluster),
  ];
}
