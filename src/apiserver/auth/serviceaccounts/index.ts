// Service accounts inside the API server: the signing key, the token authenticator (reading a
// watch-fed copy of ServiceAccounts), TokenRequest, and the in-process tokens controller.
import type { KubeObject } from '../../../apimachinery/types.js';
import type { ResourceRegistry } from '../../registry/resources.js';
import type { ObjectStore } from '../../rest/object-store.js';
import type { UserInfo } from '../authenticate.js';
import { Mirror } from '../mirror.js';
import type { Manager } from '../../../runtime/controller.js';
import { ensureSigningKey, looksLikeJwt, type SigningKey } from './jwt.js';
import { createTokenRequest } from './token-request.js';
import { TokensController } from './token-controller.js';
import { ServiceAccountTokens, serviceAccountTokenType, type TokenLookups } from './tokens.js';

export class ServiceAccountAuth implements TokenLookups {
  readonly tokens: ServiceAccountTokens;
  private readonly serviceAccounts: Mirror;
  private readonly tokenSecrets?: Mirror;

  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    dataDir: string,
    private readonly caPem: string,
    /** runs the tokens controller in this process when set */
    private readonly manager: Manager,
    runController: boolean,
  ) {
    let key: SigningKey | undefined;
    this.tokens = new ServiceAccountTokens(() => (key ??= ensureSigningKey(dataDir)), this);
    this.serviceAccounts = new Mirror(manager, objects, this.def('serviceaccounts'));
    if (runController) this.tokenSecrets = new Mirror(manager, objects, this.def('secrets'), (o) => o.type === serviceAccountTokenType);
  }

  private def(resource: string) {
    return this.registry.versionsOf('', resource)[0];
  }

  /** resolves once the copies have listed (the tokens controller runs from then on) */
  async start(): Promise<void> {
    if (this.tokenSecrets) new TokensController(this.objects, () => this.def('secrets'), () => this.def('serviceaccounts'), this.serviceAccounts, this.tokenSecrets, this.tokens, this.caPem).register(this.manager);
    await Promise.all([this.serviceAccounts.synced(), this.tokenSecrets?.synced()]);
  }

  /** a ServiceAccount created a moment ago may not be in the copy yet: a miss asks the store */
  async serviceAccount(namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.serviceAccounts.get(namespace, name) ?? (await this.objects.tryGet(this.def('serviceaccounts'), namespace, name));
  }

  async object(kind: 'Pod' | 'Secret' | 'Node', namespace: string, name: string): Promise<KubeObject | undefined> {
    const resource = { Pod: 'pods', Secret: 'secrets', Node: 'nodes' }[kind];
    return this.objects.tryGet(this.def(resource), kind === 'Node' ? undefined : namespace, name);
  }

  /** the user of a bearer token that is a service account JWT; undefined for anything else */
  async authenticateBearer(token: string): Promise<UserInfo | undefined> {
    if (!looksLikeJwt(token)) return undefined;
    const r = await this.tokens.authenticate(token);
    return 'user' in r ? r.user : undefined;
  }

  tokenRequest(body: Record<string, unknown>, namespace: string, name: string): Promise<Record<string, unknown>> {
    return createTokenRequest(body, namespace, name, { tokens: this.tokens, serviceAccount: (ns, n) => this.serviceAccount(ns, n), object: (k, ns, n) => this.object(k, ns, n) });
  }
}
