// An agent identity issued directly by the CA holder (the playground owns its control plane's CA):
// the same certificate (CN system:karmada:agent:<cluster>, O system:karmada:agents) and RBAC that
// `karmadactl register` obtains through bootstrap-token CSRs, without the round trips.
import type { KeyPairPem } from '../apiserver/auth/certs.js';
import { createSignedCert } from '../apiserver/auth/certs.js';
import { buildKubeconfig } from '../apiserver/auth/kubeconfig.js';
import type { KubeClient } from '../runtime/client.js';
import { AgentGroup, agentUserName } from './rbac.js';
import { ensureAgentRbac } from './rbac-apply.js';

export async function issueAgentKubeconfig(admin: KubeClient, ca: KeyPairPem, server: string, cluster: string): Promise<string> {
  await ensureAgentRbac(admin, cluster);
  const cert = await createSignedCert(ca, { commonName: agentUserName(cluster), organizations: [AgentGroup], usage: 'client' });
  return buildKubeconfig([{ name: 'karmada-apiserver', server, caPem: ca.certPem, user: { clientCertPem: cert.certPem, clientKeyPem: cert.keyPem } }]);
}
