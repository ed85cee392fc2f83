// CertificateSigningRequests inside the API server: the approval subresource in discovery and the
// in-process signer reading a watch-fed copy of the requests.
import type { ResourceRegistry } from '../../registry/resources.js';
import type { ObjectStore } from '../../rest/object-store.js';
import type { KeyPairPem } from '../certs.js';
import { Mirror } from '../mirror.js';
import type { Manager } from '../../../runtime/controller.js';
import { CsrSigner } from './signer.js';

export class Certificates {
  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly ca: KeyPairPem,
  ) {
    registry.addExtraSubresource('certificates.k8s.io', 'certificatesigningrequests', { name: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] });
  }

  def() {
    return this.registry.versionsOf('certificates.k8s.io', 'certificatesigningrequests')[0];
  }

  /** the in-process signer on the API server's controller manager */
  async start(manager: Manager): Promise<void> {
    const csrs = new Mirror(manager, this.objects, this.def());
    new CsrSigner(this.objects, () => this.def(), csrs, this.ca).register(manager);
    await csrs.synced();
  }
}
