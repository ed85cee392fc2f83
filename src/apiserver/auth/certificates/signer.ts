// kube-controller-manager's csrsigning controller, in the API server that holds the CA: an
// approved CertificateSigningRequest for kubernetes.io/kube-apiserver-client(-kubelet) gets a
// certificate signed by the control plane's CA, or a Failed condition saying why not.
import { rfc3339Now } from '../../../apimachinery/meta.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import type { ResourceDef } from '../../../apis/resource.js';
import { internalContext } from '../../rest/context.js';
import type { ObjectStore } from '../../rest/object-store.js';
import { readCertificateRequest, signCertificateRequest, type KeyPairPem } from '../certs.js';
import type { Mirror } from '../mirror.js';
import { SyncLoop } from '../sync-loop.js';
import { csrState, defaultSigningSeconds, signedBy, signerRefusal } from './csr.js';

type Obj = Record<string, any>;

export class CsrSigner {
  private readonly loop = new SyncLoop(async (stopped) => {
    let complete = true;
    for (const csr of [...this.csrs.all()]) {
      if (stopped()) break;
      if (csrState(csr) !== 'approved' || !signedBy.includes((csr.spec as Obj)?.signerName)) continue;
      complete = (await this.sign(csr).then(() => true, () => false)) && complete;
    }
    return complete;
  });

  constructor(
    private readonly objects: ObjectStore,
    private readonly def: () => ResourceDef,
    private readonly csrs: Mirror,
    private readonly ca: KeyPairPem,
  ) {}

  start(): void {
    this.csrs.onChange(() => void this.loop.trigger());
    void this.loop.trigger();
  }

  stop(): void {
    this.loop.stop();
  }

  private async sign(csr: KubeObject): Promise<void> {
    const spec = csr.spec as Obj;
    const pem = Buffer.from(spec.request, 'base64').toString('utf8');
    const subject = await readCertificateRequest(pem);
    const refusal = 'error' in subject ? subject.error : signerRefusal(spec.signerName, spec.usages ?? [], subject);
    let certificate: string | undefined;
    if (!refusal) {
      const seconds = spec.expirationSeconds ?? defaultSigningSeconds;
      certificate = Buffer.from(await signCertificateRequest(this.ca, pem, { usages: spec.usages, notAfter: new Date(Date.now() + seconds * 1000) })).toString('base64');
    }
    await this.objects.guaranteedUpdate(this.def(), undefined, csr.metadata.name!, internalContext('csrsigning-controller'), (cur) => {
      if (cur.metadata.uid !== csr.metadata.uid || csrState(cur) !== 'approved') return cur;
      const status = (cur.status ??= {}) as Obj;
      if (certificate) status.certificate = certificate;
      else {
        const now = rfc3339Now();
        status.conditions = [...(status.conditions ?? []), { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: refusal, lastUpdateTime: now, lastTransitionTime: now }];
      }
      return cur;
    }, { subresource: 'status' });
  }
}
