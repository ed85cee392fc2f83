// What a control plane holds so that `karmadactl register` can work with only a bootstrap token
// (Karmada's `karmadactl init` / helm chart: clusterinfo, AllowBootstrapTokensToPostCSRs,
// AutoApproveKarmadaAgentBootstrapTokens, AutoApproveAgentCertificateRotation and the
// agent-rbac-generator grant): kube-public/cluster-info readable before trust is established, CSR
// creation and auto-approval for the default cluster token's group, and renewal for agents. Pure.
import type { KubeObject } from '../apimachinery/types.js';
import { stringify } from 'yaml';
import { AgentGroup, AgentUserPrefix } from './rbac.js';
import { KarmadaBootstrappingLabel } from '../apis/karmada/wellknown.js';

/** the auth-extra-groups of tokens `karmadactl token create` makes */
export const DefaultClusterTokenGroup = 'system:bootstrappers:karmada:default-cluster-token';
export const RbacGeneratorUser = `${AgentUserPrefix}rbac-generator`;
/** the subresources Karmada's agent CSR approver checks with a SubjectAccessReview */
export const AgentClientSubresource = 'agentclient';
export const SelfAgentClientSubresource = 'selfagentclient';

const rbac = 'rbac.authorization.k8s.io';
const labels = { [KarmadaBootstrappingLabel]: 'rbac-defaults' };

const clusterRole = (name: string, rules: object[]): KubeObject => ({ apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: { name, labels }, rules });
const clusterRoleBinding = (name: string, role: string, subject: { kind: 'User' | 'Group'; name: string }[]): KubeObject => ({
  apiVersion: `${rbac}/v1`,
  kind: 'ClusterRoleBinding',
  metadata: { name, labels },
  roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: role },
  subjects: subject.map((s) => ({ apiGroup: rbac, ...s })),
});

/** kube-public/cluster-info: the control plane's address and CA, signed per bootstrap token by the bootstrap signer */
export function clusterInfoConfigMap(server: string, caPem: string): KubeObject {
  // only the cluster entry, as kubeadm's cluster-info holds
  const kubeconfig = stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: '', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }], contexts: null, 'current-context': '', preferences: {}, users: null });
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' }, data: { kubeconfig } };
}

export function pullModeBootstrapObjects(): KubeObject[] {
  const tokenGroup = { kind: 'Group' as const, name: DefaultClusterTokenGroup };
  return [
    { apiVersion: `${rbac}/v1`, kind: 'Role', metadata: { name: 'system:karmada:bootstrap-signer-clusterinfo', namespace: 'kube-public', labels }, rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'], verbs: ['get'] }] },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'system:karmada:bootstrap-signer-clusterinfo', namespace: 'kube-public', labels },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'system:karmada:bootstrap-signer-clusterinfo' },
      subjects: [{ apiGroup: rbac, kind: 'User', name: 'system:anonymous' }, { apiGroup: rbac, kind: 'Group', name: 'system:bootstrappers' }],
    },
    clusterRoleBinding('system:karmada:agent-bootstrap', 'system:node-bootstrapper', [tokenGroup]),
    clusterRole('system:karmada:certificatesigningrequest:autoapprover', [{ apiGroups: ['certificates.k8s.io'], resources: [`certificatesigningrequests/${AgentClientSubresource}`], verbs: ['create'] }]),
    clusterRoleBinding('system:karmada:agent-autoapprove-bootstrap', 'system:karmada:certificatesigningrequest:autoapprover', [tokenGroup]),
    clusterRole('system:karmada:certificatesigningrequest:selfautoapprover', [{ apiGroups: ['certificates.k8s.io'], resources: [`certificatesigningrequests/${SelfAgentClientSubresource}`], verbs: ['create'] }]),
    clusterRoleBinding('system:karmada:agent-autoapprove-certificate-rotation', 'system:karmada:certificatesigningrequest:selfautoapprover', [{ kind: 'Group', name: AgentGroup }]),
    clusterRole('system:karmada:agent-rbac-generator', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    clusterRoleBinding('system:karmada:agent-rbac-generator', 'system:karmada:agent-rbac-generator', [{ kind: 'User', name: RbacGeneratorUser }]),
  ];
}
