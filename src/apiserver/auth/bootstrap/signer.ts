// kube-controller-manager's bootstrapsigner: the kube-public/cluster-info ConfigMap carries, per
// bootstrap token allowed to sign, a detached JWS (HS256 keyed by the token) of its kubeconfig, so
// a joining cluster holding the token can trust what it reads anonymously (`karmadactl register`).
// The HMAC key is the token secret, as k8s.io/cluster-bootstrap/token/jws signs.
import { createHmac } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../apimachinery/types.js';
import { internalContext } from '../../rest/context.js';
import type { ObjectStore } from '../../rest/object-store.js';
import type { ResourceDef } from '../../../apis/resource.js';
import type { Mirror } from '../mirror.js';
import { newControllerManagedBy } from '../../../runtime/builder.js';
import type { Manager } from '../../../runtime/controller.js';
import { objectKey } from '../../../runtime/informer.js';
import { bootstrapTokenType } from './tokens.js';

export const clusterInfoName = 'cluster-info';
export const signaturePrefix = 'jws-kubeconfig-';

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const decode = (data: Record<string, string>, key: string) => (data[key] === undefined ? undefined : Buffer.from(data[key], 'base64').toString('utf8'));

/** k8s.io/cluster-bootstrap's ComputeDetachedSignature: "<header>..<signature>" */
export function detachedSignature(content: string, tokenId: string, tokenSecret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', kid: tokenId }));
  const signature = createHmac('sha256', tokenSecret).update(`${header}.${b64url(content)}`).digest('base64url');
  return `${header}..${signature}`;
}

/** the jws-kubeconfig-<id> entries cluster-info should hold for these token Secrets; pure */
export function wantedSignatures(kubeconfig: string, secrets: Iterable<KubeObject>, now: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of secrets) {
    const data = (s.data ?? {}) as Record<string, string>;
    const id = decode(data, 'token-id');
    const secret = decode(data, 'token-secret');
    const expiration = decode(data, 'expiration');
    if (!id || !secret || decode(data, 'usage-bootstrap-signing') !== 'true') continue;
    if (expiration && !(Date.parse(expiration) > now.getTime())) continue;
    out[`${signaturePrefix}${id}`] = detachedSignature(kubeconfig, id, secret);
  }
  return out;
}

const ControllerName = 'bootstrap-signer';
const clusterInfoKey = `kube-public/${clusterInfoName}`;

export class BootstrapSigner {
  constructor(
    private readonly objects: ObjectStore,
    private readonly configMaps: () => ResourceDef,
    private readonly tokens: Mirror,
    private readonly clusterInfo: Mirror,
  ) {}

  /** one key, cluster-info: reconciled when it or a bootstrap token changes */
  register(manager: Manager): void {
    newControllerManagedBy(manager, ControllerName)
      .for(this.clusterInfo.informer, { filter: (o) => objectKey(o) === clusterInfoKey })
      .watches(this.tokens.informer, () => clusterInfoKey, { filter: (o) => o.metadata.namespace === 'kube-system' && o.type === bootstrapTokenType })
      .backoff(200, 10_000)
      .complete(() => this.sign());
  }

  private async sign(): Promise<void> {
    const cm = this.clusterInfo.get('kube-public', clusterInfoName);
    const kubeconfig = (cm?.data as Record<string, string> | undefined)?.kubeconfig;
    if (!cm || kubeconfig === undefined) return;
    const want = wantedSignatures(kubeconfig, this.tokens.all(), new Date());
    const have = Object.fromEntries(Object.entries((cm.data ?? {}) as Record<string, string>).filter(([k]) => k.startsWith(signaturePrefix)));
    if (isDeepStrictEqual(want, have)) return;
    await this.objects.guaranteedUpdate(this.configMaps(), 'kube-public', clusterInfoName, internalContext(ControllerName), (cur) => {
      const data = Object.fromEntries(Object.entries((cur.data ?? {}) as Record<string, string>).filter(([k]) => !k.startsWith(signaturePrefix)));
      const kc = data.kubeconfig;
      cur.data = { ...data, ...(kc === undefined ? {} : wantedSignatures(kc, this.tokens.all(), new Date())) };
      return cur;
    });
  }
}
