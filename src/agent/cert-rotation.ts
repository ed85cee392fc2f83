// karmada-agent's client certificate rotation (Karmada's cert-rotation-controller, pkg/controllers/
// certificate): every --cert-rotation-checkpoint the agent looks at its control-plane certificate;
// once no more than --cert-rotation-remaining-time-threshold of its lifetime is left, it asks for a
// new one through a CertificateSigningRequest with the same subject and lifetime (the
// agentcsrapproving controller approves an agent renewing itself), then uses it from the next
// request on and stores it where its kubeconfig came from: the member's karmada-system/
// karmada-kubeconfig Secret (as Karmada does) and the agent's kubeconfig file.
import { X509Certificate } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import type { User } from '@kubernetes/client-node';
import { isNotFound } from '../apimachinery/errors.js';
import { certificateSigningRequestGVR, secretGVR } from '../apis/builtin/gvr.js';
import { createCertificateRequest } from '../apiserver/auth/certs.js';
import type { KubeClient } from '../runtime/client.js';
import { AgentKubeconfigSecretKey, AgentKubeconfigSecretName } from '../apis/karmada/wellknown.js';

/** Karmada's defaults: look every 5 minutes, renew with 20% of the lifetime left */
export const DefaultCertRotationCheckpointMs = 5 * 60_000;
export const DefaultCertRotationRemainingTimeThreshold = 0.2;


interface Validity {
  notBefore: number;
  notAfter: number;
}

/** rotate once the remaining share of the lifetime is at or below the threshold (Karmada's shouldRotateCert); pure */
export function rotationDue(v: Validity, now: number, threshold: number): boolean {
  const total = v.notAfter - v.notBefore;
  if (total <= 0) return true;
  return (v.notAfter - now) / total <= threshold;
}

/** validity and subject of a PEM certificate (the first of a chain) */
export function certificateFacts(pem: string): Validity & { commonName: string; organizations: string[] } {
  const cert = new X509Certificate(pem);
  const fields = cert.subject.split('\n');
  const values = (key: string) => fields.filter((f) => f.startsWith(`${key}=`)).map((f) => f.slice(key.length + 1));
  return { notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo), commonName: values('CN')[0] ?? '', organizations: values('O') };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((r) => {
    const onAbort = () => (clearTimeout(t), r());
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), r()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

interface CertRotationOptions {
  cluster: string;
  /** --cert-rotation-checkpoint */
  checkpointMs?: number;
  /** --cert-rotation-remaining-time-threshold */
  threshold?: number;
  /** the member, whose karmada-system/karmada-kubeconfig Secret is updated when it exists */
  member?: KubeClient;
  /** the file the agent's kubeconfig was read from, rewritten with the new certificate */
  kubeconfigPath?: string;
  /** how long to wait for the CSR to be approved and signed (Karmada: 5 minutes) */
  issueTimeoutMs?: number;
  signal?: AbortSignal;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

/** the current user's certificate and key of a client, PEM */
function credentials(client: KubeClient): { user: User; certPem: string; keyPem: string } | undefined {
  const user = client.kubeConfig.getCurrentUser();
  if (!user?.certData || !user.keyData) return undefined;
  return { user, certPem: Buffer.from(user.certData, 'base64').toString('utf8'), keyPem: Buffer.from(user.keyData, 'base64').toString('utf8') };
}

/** one checkpoint: renews the client's certificate when due; the new notAfter, or undefined when nothing was done */
export async function rotateIfDue(client: KubeClient, o: CertRotationOptions, now = Date.now()): Promise<Date | undefined> {
  const current = credentials(client);
  if (!current) return undefined; // a token or file-based identity: nothing this agent can renew
  const facts = certificateFacts(current.certPem);
  if (!rotationDue(facts, now, o.threshold ?? DefaultCertRotationRemainingTimeThreshold)) return undefined;
  o.log.info({ cluster: o.cluster, notAfter: new Date(facts.notAfter).toISOString() }, 'the agent certificate is due for rotation');
  const { requestPem, keyPem } = await createCertificateRequest(facts.commonName, facts.organizations);
  const name = `${o.cluster}-${randomBytes(4).toString('hex').slice(0, 5)}`;
  await client.create({
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: {
      request: Buffer.from(requestPem).toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client',
      usages: ['digital signature', 'key encipherment', 'client auth'],
      // the new certificate lives as long as the old one did
      expirationSeconds: Math.max(600, Math.round((facts.notAfter - facts.notBefore) / 1000)),
    },
  });
  const deadline = Date.now() + (o.issueTimeoutMs ?? 5 * 60_000);
  let certPem: string | undefined;
  while (!certPem) {
    const csr = await client.get(certificateSigningRequestGVR, name, { signal: o.signal });
    const status = (csr.status ?? {}) as { certificate?: string; conditions?: { type: string; message?: string }[] };
    const refused = status.conditions?.find((c) => c.type === 'Denied' || c.type === 'Failed');
    if (refused) throw new Error(`the CertificateSigningRequest ${name} was ${refused.type.toLowerCase()}: ${refused.message ?? ''}`);
    if (status.certificate) certPem = Buffer.from(status.certificate, 'base64').toString('utf8');
    else if (Date.now() > deadline) throw new Error(`the CertificateSigningRequest ${name} was not issued in time (is the agentcsrapproving controller running?)`);
    else await sleep(1000, o.signal);
    if (o.signal?.aborted) return undefined;
  }
  // from the next request on (the keep-alive transport keys its pool on the client certificate)
  const kc = client.kubeConfig;
  kc.users = kc.users.map((u) => (u.name === current.user.name ? { ...u, certData: Buffer.from(certPem!).toString('base64'), keyData: Buffer.from(keyPem).toString('base64') } : u));
  await persist(kc.exportConfig(), o);
  const notAfter = new Date(certificateFacts(certPem).notAfter);
  o.log.info({ cluster: o.cluster, notAfter: notAfter.toISOString() }, 'the agent certificate has been rotated');
  return notAfter;
}

/** writes the new kubeconfig where the old one is kept */
async function persist(kubeconfig: string, o: CertRotationOptions): Promise<void> {
  if (o.kubeconfigPath && existsSync(o.kubeconfigPath)) writeFileSync(o.kubeconfigPath, kubeconfig, { mode: 0o600 });
  if (!o.member) return;
  try {
    const secret = await o.member.get(secretGVR, AgentKubeconfigSecretName, { namespace: 'karmada-system' });
    await o.member.replace({ ...secret, data: { ...((secret.data as Record<string, string>) ?? {}), [AgentKubeconfigSecretKey]: Buffer.from(kubeconfig).toString('base64') } });
  } catch (err) {
    if (!isNotFound(err)) o.log.warn({ err: (err as Error).message }, `failed to update karmada-system/${AgentKubeconfigSecretName} in the member with the rotated certificate`);
  }
}

/** a checkpoint every checkpointMs until the signal aborts; a failed rotation is retried at the next one */
export async function runCertRotation(client: KubeClient, o: CertRotationOptions): Promise<void> {
  const every = o.checkpointMs ?? DefaultCertRotationCheckpointMs;
  while (!o.signal?.aborted) {
    try {
      await rotateIfDue(client, o);
    } catch (err) {
      if (o.signal?.aborted) return;
      o.log.warn({ err: (err as Error).message }, 'failed to rotate the agent certificate');
    }
    await sleep(every, o.signal);
  }
}
