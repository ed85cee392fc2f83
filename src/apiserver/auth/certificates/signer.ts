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
import { newControllerManagedBy } from '../../../runtime/builder.js';
import type { Manager } from '../../../runtime/controller.js';
import { csrState, defaultSigningSeconds, signedBy, signerRefusal } from './csr.js';

type Obj = Record<string, any>;

const ControllerName = 'csrsigning-controller';

const wantsSigning = (csr: KubeObject) => csrState(csr) === 'approved' && signedBy.includes((csr.spec as Obj)?.signerName);

export class CsrSigner {
  constructor(
    private readonly objects: ObjectStore,
    private readonly def: () => ResourceDef,
    private readonly csrs: Mirror,
    private readonly ca: KeyPairPem,
  ) {}

  /** an approved request of a signer we hold is signed (or refused), retried with backoff */
  register(manager: Manager): void {
    newControllerManagedBy(manager, ControllerName)
      .for(this.csrs.informer, { filter: wantsSigning })
      .backoff(200, 10_000)
      .complete(async (name) => {
        const csr = this.csrs.get(undefined, name);
        if (csr && wantsSigning(csr)) await this.sign(csr);
      });
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
    await this.objects.guaranteedUpdate(this.def(), undefined, csr.metadata.name!, internalContext(ControllerName), (cur) => {
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
