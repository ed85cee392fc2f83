import { ExecutionSpacePrefix } from '../../apis/karmada/work.js';
// Karmada's object names (pkg/util/names): bindings are `<name>-<kind>`, Works are
// `<name>-<hash of namespace, name and kind>` in the execution space `karmada-es-<cluster>`. The hash
// is Go's fnv32a over hashutil.DeepHashObject's output for a string (the bare string), rendered by
// rand.SafeEncodeString, so names match the ones Karmada itself chooses (default/nginx Deployment:
// nginx-687f7fb96f, as in Karmada's documentation).

/** names.GenerateBindingName: RBAC names may hold ':', which CRD object names cannot */
export function generateBindingName(kind: string, name: string): string {
  return `${name.replaceAll(':', '.')}-${kind}`.toLowerCase();
}

/** FNV-1a, 32 bit */
function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** k8s.io/apimachinery/pkg/util/rand.SafeEncodeString */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += alphanums[ch.codePointAt(0)! % alphanums.length];
  return out;
}

/** hashutil.DeepHashObject(fnv32a, s) for a string, as a decimal then safe-encoded */
export function hashString(s: string): string {
  return safeEncodeString(String(fnv32a(s)));
}

/** names.GenerateWorkName */
export function generateWorkName(kind: string, name: string, namespace?: string): string {
  const lower = name.replaceAll(':', '.').toLowerCase();
  const full = (namespace ? `${namespace}-${lower}-${kind}` : `${lower}-${kind}`).toLowerCase();
  return `${lower}-${hashString(full)}`;
}

/** names.GenerateBindingReferenceKey */
export function generateBindingReferenceKey(namespace: string | undefined, name: string): string {
  return hashString(namespace ? `${namespace}/${name}` : name);
}

/** names.IsReservedNamespace: Karmada's own namespaces */
export function isReservedNamespace(namespace: string | undefined): boolean {
  if (!namespace) return false;
  return namespace === 'karmada-system' || namespace === 'karmada-cluster' || namespace.startsWith(ExecutionSpacePrefix);
}

/** the default of --skipped-propagating-namespaces: kube-.* */
export const defaultSkippedNamespaces: readonly RegExp[] = [/^kube-.*$/];

/** whether resources of this namespace are skipped by the detector (reserved or --skipped-propagating-namespaces) */
export function isSkippedNamespace(namespace: string | undefined, skipped: readonly RegExp[] = defaultSkippedNamespaces): boolean {
  if (!namespace) return false;
  if (isReservedNamespace(namespace)) return true;
  return skipped.some((r) => r.test(namespace));
}
