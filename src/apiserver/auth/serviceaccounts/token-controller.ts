// kube-controller-manager's tokens controller: a kubernetes.io/service-account-token Secret gets a
// token for its ServiceAccount, the CA and the namespace; a Secret whose ServiceAccount is gone (or
// was recreated with another uid) is deleted.
import type { KubeObject } from '../../../apimachinery/types.js';
import { isConflict, isNotFound } from '../../../apimachinery/errors.js';
import { internalContext } from '../../rest/context.js';
import type { ObjectStore } from '../../rest/object-store.js';
import type { ResourceDef } from '../../../apis/resource.js';
import type { Mirror } from '../mirror.js';
import { newControllerManagedBy } from '../../../runtime/builder.js';
import { splitKey, type Manager } from '../../../runtime/controller.js';
import { serviceAccountNameAnnotation, serviceAccountTokenType, serviceAccountUidAnnotation, type ServiceAccountTokens } from './tokens.js';

export type TokenSecretAction = 'none' | 'fill' | 'delete';

/** what the controller does with a token Secret given its ServiceAccount (undefined: not found) */
export function tokenSecretAction(secret: KubeObject, sa: KubeObject | undefined): TokenSecretAction {
  if (secret.metadata.deletionTimestamp) return 'none';
  const annotations = secret.metadata.annotations ?? {};
  if (!annotations[serviceAccountNameAnnotation]) return 'none';
  if (!sa) return 'delete';
  const uid = annotations[serviceAccountUidAnnotation];
  if (uid && uid !== sa.metadata.uid) return 'delete';
  const data = (secret.data ?? {}) as Record<string, string>;
  if (!uid || !data.token || !data['ca.crt'] || !data.namespace) return 'fill';
  return 'none';
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const ControllerName = 'tokens-controller';

export class TokensController {
  constructor(
    private readonly objects: ObjectStore,
    private readonly secretsDef: () => ResourceDef,
    private readonly serviceAccountsDef: () => ResourceDef,
    private readonly serviceAccounts: Mirror,
    private readonly tokenSecrets: Mirror,
    private readonly tokens: ServiceAccountTokens,
    private readonly caPem: string,
  ) {}

  /** token Secrets are reconciled when they change and when their ServiceAccount does */
  register(manager: Manager): void {
    newControllerManagedBy(manager, ControllerName)
      .for(this.tokenSecrets.informer, { filter: (o) => o.type === serviceAccountTokenType })
      .watches(this.serviceAccounts.informer, (sa) => this.secretsOf(sa))
      .backoff(200, 10_000)
      .complete(async (key) => {
        const { namespace, name } = splitKey(key);
        const secret = this.tokenSecrets.get(namespace, name);
        if (secret) await this.reconcile(secret);
      });
  }

  private secretsOf(sa: KubeObject): string[] {
    return this.tokenSecrets
      .inNamespace(sa.metadata.namespace)
      .filter((s) => s.metadata.annotations?.[serviceAccountNameAnnotation] === sa.metadata.name)
      .map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
  }

  private async reconcile(secret: KubeObject): Promise<void> {
    const ns = secret.metadata.namespace!;
    const saName = secret.metadata.annotations?.[serviceAccountNameAnnotation] ?? '';
    // a ServiceAccount created a moment ago may not be in the copy yet: ask the store before deleting
    const sa = this.serviceAccounts.get(ns, saName) ?? (await this.objects.tryGet(this.serviceAccountsDef(), ns, saName));
    const action = tokenSecretAction(secret, sa);
    if (action === 'delete') {
      await this.objects.delete(this.secretsDef(), ns, secret.metadata.name!, { preconditions: { uid: secret.metadata.uid } }, internalContext(ControllerName)).catch((err) => {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      });
    } else if (action === 'fill') {
      const token = this.tokens.issueLegacy(ns, { name: saName, uid: sa!.metadata.uid! }, secret.metadata.name!);
      await this.objects.guaranteedUpdate(this.secretsDef(), ns, secret.metadata.name!, internalContext(ControllerName), (cur) => {
        if (tokenSecretAction(cur, sa) !== 'fill') return cur;
        cur.metadata.annotations = { ...cur.metadata.annotations, [serviceAccountUidAnnotation]: sa!.metadata.uid! };
        const data = { ...((cur.data ?? {}) as Record<string, string>) };
        data.token ??= b64(token);
        data['ca.crt'] ??= b64(this.caPem);
        data.namespace ??= b64(ns);
        cur.data = data;
        return cur;
      });
    }
  }
}
