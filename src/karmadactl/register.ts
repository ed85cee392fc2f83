// `karmadactl register` and `unregister` (Karmada pkg/karmadactl/register, unregister): token-based
// discovery of the control plane (cluster-info, its JWS signature by the token and the pinned CA
// hash), a CSR for the agent-rbac-generator identity to create the agent's RBAC, a CSR for the
// agent's own certificate (both auto-approved by agentcsrapproving), then the agent started beside
// the member (for karmada-ts's simulated members: a process, where Karmada installs a Deployment).
import { request } from 'node:https';
import { randomInt } from 'node:crypto';
import { parse } from 'yaml';
import { isAlreadyExists, isNotFound } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { createCertificateRequest } from '../apiserver/auth/certs.js';
import { buildKubeconfig } from '../apiserver/auth/kubeconfig.js';
import { detachedSignature, signaturePrefix } from '../apiserver/auth/bootstrap/signer.js';
import { bootstrapTokenPattern } from '../apiserver/auth/bootstrap/tokens.js';
import { clusterGVR } from '../apis/karmada/gvr.js';
import { AgentKubeconfigSecretKey, AgentKubeconfigSecretName } from '../apis/karmada/wellknown.js';
import { certificateSigningRequestGVR, secretGVR } from '../apis/builtin/gvr.js';
import { RbacGeneratorUser } from '../agent/bootstrap.js';
import { AgentGroup, agentUserName } from '../agent/rbac.js';
import { deleteAgentRbac, ensureAgentRbac } from '../agent/rbac-apply.js';
import { agentDir, removeAgentDir, spawnAgent, stopAgent } from '../agent/process.js';
import { KubeClient } from '../runtime/client.js';
import { userAgent } from '../runtime/user-agent.js';
import { caCertHash } from './token.js';
import { KarmadaSystemLabel } from '../apis/karmada/wellknown.js';

/** Karmada's KarmadaKubeconfigName and the namespace the agent is deployed in */
const rand5 = () => Array.from({ length: 5 }, () => 'bcdfghjklmnpqrstvwxz2456789'[randomInt(27)]).join('');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RegisterOptions {
  /** the control plane's host:port */
  endpoint: string;
  token: string;
  caCertHashes: string[];
  unsafeSkipCAVerification?: boolean;
  clusterName: string;
  memberKubeconfig: string;
  provider?: string;
  region?: string;
  zones?: string[];
  timeoutMs: number;
  out(line: string): void;
}

/** every request of register and unregister is karmadactl's, as in Karmada */
const asKarmadactl = { userAgent: userAgent('karmadactl') };

/** GET over TLS without trusting the server yet (what is read is verified afterwards) */
function getUntrusted(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'User-Agent': asKarmadactl.userAgent }, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out reaching ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** the control plane's CA and server from cluster-info, once its signature by this token and the CA hash check out; pure */
function validateClusterInfo(configMap: KubeObject, token: string, pinned: string[], skipCA: boolean): { caPem: string; server: string } {
  const [, id, secret] = bootstrapTokenPattern.exec(token) ?? [];
  if (!id || !secret) throw new Error(`the bootstrap token "${token}" was not of the form "[a-z0-9]{6}.[a-z0-9]{16}"`);
  const data = (configMap.data ?? {}) as Record<string, string>;
  const kubeconfig = data.kubeconfig;
  if (!kubeconfig) throw new Error('there is no kubeconfig in the cluster-info ConfigMap');
  const signature = data[`${signaturePrefix}${id}`];
  if (!signature) throw new Error(`there is no JWS signed token in the cluster-info ConfigMap. This token id "${id}" is invalid for this cluster, or it has expired. Use "karmadactl token create" on the karmada-control-plane to create a new valid token`);
  if (signature !== detachedSignature(kubeconfig, id, secret)) throw new Error(`failed to verify JWS signature of received cluster info object, can't trust this API Server`);
  const parsed = parse(kubeconfig) as { clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[] };
  const cluster = parsed.clusters?.[0]?.cluster;
  if (!cluster?.['certificate-authority-data'] || !cluster.server) throw new Error('the cluster-info kubeconfig names no server and certificate authority');
  const caPem = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  if (!skipCA) {
    const actual = caCertHash(caPem);
    if (!pinned.includes(actual)) throw new Error(`cluster CA found in cluster-info ConfigMap is not signed by any of the provided CA cert hashes (${pinned.join(', ')}); its hash is ${actual}`);
  }
  return { caPem, server: cluster.server };
}

async function discover(o: RegisterOptions, deadline: number): Promise<{ caPem: string; server: string }> {
  const url = `https://${o.endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info`;
  for (;;) {
    let problem: string;
    try {
      const res = await getUntrusted(url, o.token);
      if (res.status === 200) {
        try {
          return validateClusterInfo(JSON.parse(res.body) as KubeObject, o.token, o.caCertHashes, !!o.unsafeSkipCAVerification);
        } catch (err) {
          // the bootstrap signer may not have signed for a token created a moment ago
          if (!/no JWS signed token/.test((err as Error).message)) throw err;
          problem = (err as Error).message;
        }
      } else if (res.status === 401) throw new Error(`the bootstrap token is not valid (expired, deleted or unknown): the control plane answered 401 Unauthorized`);
      else problem = `the control plane answered ${res.status}: ${res.body.slice(0, 300)}`;
    } catch (err) {
      if (!(err as { code?: string }).code) throw err;
      problem = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`couldn't validate the identity of the API Server: ${problem}`);
    await sleep(1000);
  }
}

/** a certificate for CN/O through a CSR the control plane approves and signs; its kubeconfig */
async function certificateKubeconfig(client: KubeClient, csrName: string, commonName: string, server: string, caPem: string, deadline: number): Promise<string> {
  const { requestPem, keyPem } = await createCertificateRequest(commonName, [AgentGroup]);
  await client.create({
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: csrName },
    spec: { request: Buffer.from(requestPem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['digital signature', 'key encipherment', 'client auth'], expirationSeconds: 365 * 86400 },
  });
  for (;;) {
    const csr = await client.get(certificateSigningRequestGVR, csrName);
    const status = (csr.status ?? {}) as { certificate?: string; conditions?: { type: string; message?: string }[] };
    const refused = status.conditions?.find((c) => c.type === 'Denied' || c.type === 'Failed');
    if (refused) throw new Error(`the CertificateSigningRequest ${csrName} was ${refused.type.toLowerCase()}: ${refused.message ?? ''}`);
    if (status.certificate) {
      const certPem = Buffer.from(status.certificate, 'base64').toString('utf8');
      return buildKubeconfig([{ name: 'karmada-apiserver', server, caPem, user: { clientCertPem: certPem, clientKeyPem: keyPem } }]);
    }
    if (Date.now() > deadline) throw new Error(`the CertificateSigningRequest ${csrName} was not approved and signed in time (is the agentcsrapproving controller running?)`);
    await sleep(300);
  }
}

export async function register(o: RegisterOptions): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  const member = KubeClient.fromKubeconfig(o.memberKubeconfig, asKarmadactl);
  o.out('[preflight] Running pre-flight checks');
  const dir = agentDir(o.clusterName);
  try {
    await member.get(secretGVR, AgentKubeconfigSecretName, { namespace: 'karmada-system' });
    throw new Error(`karmada-system/${AgentKubeconfigSecretName} Secret already exists`);
  } catch (err) {
    if (!isNotFound(err)) throw new Error(`error execution phase preflight: [preflight] Some fatal errors occurred:\n\t[ERROR]: ${(err as Error).message}`);
  }
  o.out('[preflight] All pre-flight checks were passed');
  o.out('[karmada-agent-start] Waiting to perform the TLS Bootstrap');
  const { caPem } = await discover(o, deadline);
  const server = `https://${o.endpoint}`;
  const bootstrap = KubeClient.fromKubeconfig(buildKubeconfig([{ name: 'karmada-apiserver', server, caPem, user: { token: o.token } }]), asKarmadactl);

  const rbacCsr = `agent-rbac-generator-${o.clusterName}${rand5()}`;
  const rbacClient = KubeClient.fromKubeconfig(await certificateKubeconfig(bootstrap, rbacCsr, RbacGeneratorUser, server, caPem, deadline), asKarmadactl);
  try {
    o.out('[karmada-agent-start] Waiting to check cluster exists');
    try {
      await rbacClient.get(clusterGVR, o.clusterName);
      throw new Error(`failed to register as cluster with name ${o.clusterName} already exists`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    o.out('[karmada-agent-start] Assign the necessary RBAC permissions to the agent');
    await ensureAgentRbac(rbacClient, o.clusterName);
  } finally {
    await rbacClient.delete(certificateSigningRequestGVR, rbacCsr).catch(() => {});
  }

  o.out('[karmada-agent-start] Waiting to construct karmada-agent kubeconfig');
  const agentKubeconfig = await certificateKubeconfig(bootstrap, `${o.clusterName}-${rand5()}`, agentUserName(o.clusterName), server, caPem, deadline);
  o.out('[karmada-agent-start] Waiting the necessary secret and RBAC');
  try {
    await member.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'karmada-system', labels: { [KarmadaSystemLabel]: 'true' } } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  await member.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: AgentKubeconfigSecretName, namespace: 'karmada-system' }, stringData: { [AgentKubeconfigSecretKey]: agentKubeconfig } });
  o.out('[karmada-agent-start] Waiting karmada-agent to start');
  const args = ['--cluster-name', o.clusterName];
  if (o.provider) args.push('--cluster-provider', o.provider);
  if (o.region) args.push('--cluster-region', o.region);
  if (o.zones?.length) args.push('--cluster-zones', o.zones.join(','));
  spawnAgent(dir, agentKubeconfig, o.memberKubeconfig, args);
  const asAgent = KubeClient.fromKubeconfig(agentKubeconfig, asKarmadactl);
  for (;;) {
    try {
      await asAgent.get(clusterGVR, o.clusterName);
      break;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (Date.now() > deadline) throw new Error(`karmada-agent did not register cluster ${o.clusterName} in time: see ${dir}/agent.log`);
    await sleep(300);
  }
  o.out(`\ncluster(${o.clusterName}) is joined successfully`);
}

interface UnregisterOptions {
  clusterName: string;
  /** the control plane client: the agent's own kubeconfig from the member's secret when not given */
  controlPlane?: KubeClient;
  memberKubeconfig?: string;
  timeoutMs: number;
  out(line: string): void;
}

export async function unregister(o: UnregisterOptions): Promise<void> {
  const member = o.memberKubeconfig ? KubeClient.fromKubeconfig(o.memberKubeconfig, asKarmadactl) : undefined;
  let client = o.controlPlane;
  if (!client && member) {
    const secret = await member.get(secretGVR, AgentKubeconfigSecretName, { namespace: 'karmada-system' });
    const text = Buffer.from(((secret.data ?? {}) as Record<string, string>)[AgentKubeconfigSecretKey] ?? '', 'base64').toString('utf8');
    client = KubeClient.fromKubeconfig(text, asKarmadactl);
  }
  if (!client) throw new Error('unregister needs the control plane: pass --karmada-config, or --cluster-kubeconfig of a member holding the agent kubeconfig');
  const cluster = await client.get(clusterGVR, o.clusterName).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
  if (cluster && (cluster.spec as { syncMode?: string } | undefined)?.syncMode !== 'Pull') throw new Error(`cluster ${o.clusterName} is a Push mode member cluster, please use command \`unjoin\` if you want to continue unregistering the cluster`);
  if (cluster) {
    await client.delete(clusterGVR, o.clusterName);
    const deadline = Date.now() + o.timeoutMs;
    for (;;) {
      const left = await client.get(clusterGVR, o.clusterName).then(() => false, (err) => (isNotFound(err) ? true : Promise.reject(err)));
      if (left) break;
      if (Date.now() > deadline) throw new Error(`cluster ${o.clusterName} was not removed in time (its Works are still being cleaned up)`);
      await sleep(300);
    }
  }
  const dir = agentDir(o.clusterName);
  await stopAgent(dir);
  removeAgentDir(dir);
  await deleteAgentRbac(o.controlPlane ?? client, o.clusterName).catch((err) => o.out(`warning: the agent's RBAC was left in place: ${(err as Error).message}`));
  if (member) await member.delete(secretGVR, AgentKubeconfigSecretName, { namespace: 'karmada-system' }).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
  o.out(`cluster(${o.clusterName}) is unregistered successfully`);
}

