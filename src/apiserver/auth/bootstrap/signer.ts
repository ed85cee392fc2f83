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
import { SyncLoop } from '../sync-loop.js';

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

export class BootstrapSigner {
  private readonly loop = new SyncLoop(async () => {
    const cm = this.clusterInfo.get('kube-public', clusterInfoName);
    const kubeconfig = (cm?.data as Record<string, string> | undefined)?.kubeconfig;
    if (!cm || kubeconfig === undefined) return true;
    const want = wantedSignatures(kubeconfig, this.tokens.all(), new Date());
    const have = Object.fromEntries(Object.entries((cm.data ?? {}) as Record<string, string>).filter(([k]) => k.startsWith(signaturePrefix)));
    if (isDeepStrictEqual(want, have)) return true;
    return this.objects
      .guaranteedUpdate(this.configMaps(), 'kube-public', clusterInfoName, internalContext('bootstrap-signer'), (cur) => {
        const data = Object.fromEntries(Object.entries((cur.data ?? {}) as Record<string, string>).filter(([k]) => !k.startsWith(signaturePrefix)));
        const kc = data.kubeconfig;
        cur.data = { ...data, ...(kc === undefined ? {} : wantedSignatures(kc, this.tokens.all(), new Date())) };
        return cur;
      })
      .then(() => true, () => false);
  });

  constructor(
    private readonly objects: ObjectStore,
    private readonly configMaps: () => ResourceDef,
    private readonly tokens: Mirror,
    private readonly clusterInfo: Mirror,
  ) {}

  start(): void {
    this.tokens.onChange(() => void this.loop.trigger());
    this.clusterInfo.onChange(() => void this.loop.trigger());
    void this.loop.trigger();
  }

  stop(): void {
    this.loop.stop();
  }
}
