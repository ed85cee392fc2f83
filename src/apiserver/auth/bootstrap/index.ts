// Bootstrap token authentication inside the API server, reading a watch-fed copy of the
// bootstrap.kubernetes.io/token Secrets of kube-system (the store on a miss), and the in-process
// bootstrap signer of kube-public/cluster-info.
import type { KubeObject } from '../../../apimachinery/types.js';
import type { ResourceRegistry } from '../../registry/resources.js';
import type { ObjectStore } from '../../rest/object-store.js';
import type { UserInfo } from '../authenticate.js';
import { Mirror } from '../mirror.js';
import type { Manager } from '../../../runtime/controller.js';
import { BootstrapSigner, clusterInfoName } from './signer.js';
import { bootstrapSecretPrefix, bootstrapTokenPattern, bootstrapTokenType, bootstrapTokenUser } from './tokens.js';

export class BootstrapTokenAuth {
  private readonly secrets: Mirror;
  private readonly clusterInfo?: Mirror;

  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly manager: Manager,
    /** run the bootstrap signer in this process */
    runSigner = false,
  ) {
    this.secrets = new Mirror(manager, objects, this.def(), (o) => o.metadata.namespace === 'kube-system' && o.type === bootstrapTokenType);
    if (runSigner) this.clusterInfo = new Mirror(manager, objects, registry.versionsOf('', 'configmaps')[0]!, (o) => o.metadata.namespace === 'kube-public' && o.metadata.name === clusterInfoName);
  }

  private def() {
    return this.registry.versionsOf('', 'secrets')[0];
  }

  /** resolves once the copies have listed (the bootstrap signer runs from then on) */
  async start(): Promise<void> {
    if (this.clusterInfo) new BootstrapSigner(this.objects, () => this.registry.versionsOf('', 'configmaps')[0]!, this.secrets, this.clusterInfo).register(this.manager);
    await Promise.all([this.secrets.synced(), this.clusterInfo?.synced()]);
  }

  /** true when the token has the bootstrap token shape (other authenticators need not look) */
  handles(token: string): boolean {
    return bootstrapTokenPattern.test(token);
  }

  async authenticate(token: string): Promise<UserInfo | undefined> {
    const id = bootstrapTokenPattern.exec(token)?.[1];
    if (!id) return undefined;
    const name = `${bootstrapSecretPrefix}${id}`;
    const secret: KubeObject | undefined = this.secrets.get('kube-system', name) ?? (await this.objects.tryGet(this.def(), 'kube-system', name));
    const r = bootstrapTokenUser(token, secret, new Date());
    return 'user' in r ? r.user : undefined;
  }
}
