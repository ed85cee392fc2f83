// CertificateSigningRequests inside the API server: the approval subresource in discovery and the
// in-process signer reading a watch-fed copy of the requests.
import type { ResourceRegistry } from '../../registry/resources.js';
import type { ObjectStore } from '../../rest/object-store.js';
import type { KeyPairPem } from '../certs.js';
import { Mirror } from '../mirror.js';
import { CsrSigner } from './signer.js';

export class Certificates {
  private readonly csrs: Mirror;
  private signer?: CsrSigner;

  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly ca: KeyPairPem,
  ) {
    this.csrs = new Mirror(objects, () => this.def());
    registry.addExtraSubresource('certificates.k8s.io', 'certificatesigningrequests', { name: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] });
  }

  def() {
    return this.registry.versionsOf('certificates.k8s.io', 'certificatesigningrequests')[0];
  }

  async start(): Promise<void> {
    await this.csrs.start();
    this.signer = new CsrSigner(this.objects, () => this.def(), this.csrs, this.ca);
    this.signer.start();
  }

  stop(): void {
    this.signer?.stop();
    this.csrs.stop();
  }
}
