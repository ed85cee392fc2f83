// The serviceaccounts/token subresource (TokenRequest, `kubectl create token`): validates the
// request as kube-apiserver does, checks the ServiceAccount and any bound object, and answers with
// a bound token and its expiry.
import { errors, type FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import type { BoundObject, ServiceAccountTokens } from './tokens.js';

type Obj = Record<string, any>;

export interface TokenRequestDeps {
  tokens: ServiceAccountTokens;
  serviceAccount(namespace: string, name: string): Promise<KubeObject | undefined>;
  object(kind: 'Pod' | 'Secret' | 'Node', namespace: string, name: string): Promise<KubeObject | undefined>;
  now?: () => Date;
}

const minSeconds = 600;
const maxSeconds = 2 ** 32;
const kinds: Record<string, { kind: BoundObject['kind']; resource: string; namespaced: boolean }> = {
  Pod: { kind: 'Pod', resource: 'pods', namespaced: true },
  Secret: { kind: 'Secret', resource: 'secrets', namespaced: true },
  Node: { kind: 'Node', resource: 'nodes', namespaced: false },
};

/** field problems of a TokenRequest's spec (after defaulting), as kube's ValidateTokenRequest */
export function validateTokenRequestSpec(spec: Obj): FieldError[] {
  const out: FieldError[] = [];
  const exp = spec.expirationSeconds;
  if (typeof exp !== 'number' || !Number.isInteger(exp)) out.push({ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', value: exp, detail: 'must be an integer' });
  else if (exp < minSeconds) out.push({ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', value: exp, detail: 'may not specify a duration less than 10 minutes' });
  else if (exp > maxSeconds) out.push({ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', value: exp, detail: 'may not specify a duration larger than 2^32 seconds' });
  if (!Array.isArray(spec.audiences) || spec.audiences.some((a: unknown) => typeof a !== 'string')) out.push({ type: 'FieldValueInvalid', field: 'spec.audiences', value: spec.audiences, detail: 'must be a list of strings' });
  const ref = spec.boundObjectRef;
  if (ref) {
    if (!kinds[ref.kind]) out.push({ type: 'FieldValueNotSupported', field: 'spec.boundObjectRef.kind', value: ref.kind, supported: Object.keys(kinds) });
    if (!ref.name) out.push({ type: 'FieldValueRequired', field: 'spec.boundObjectRef.name', detail: 'name is required' });
  }
  return out;
}

export async function createTokenRequest(body: Obj, namespace: string, name: string, deps: TokenRequestDeps): Promise<Obj> {
  const spec: Obj = { ...(body.spec ?? {}) };
  spec.expirationSeconds ??= 3600;
  if (!spec.audiences?.length) spec.audiences = [...deps.tokens.audiences];
  const problems = validateTokenRequestSpec(spec);
  if (problems.length) throw errors.invalid('TokenRequest', 'authentication.k8s.io', name, problems);
  const sa = await deps.serviceAccount(namespace, name);
  if (!sa) throw errors.notFound({ group: '', resource: 'serviceaccounts' }, name);
  let bound: BoundObject | undefined;
  if (spec.boundObjectRef) {
    const ref = spec.boundObjectRef;
    const k = kinds[ref.kind];
    const obj = await deps.object(k.kind, namespace, ref.name);
    if (!obj) throw errors.notFound({ group: '', resource: k.resource }, ref.name);
    if (ref.uid && ref.uid !== obj.metadata.uid) {
      throw errors.conflict({ group: '', resource: ref.kind }, ref.name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
    spec.boundObjectRef = { ...ref, apiVersion: 'v1', uid: obj.metadata.uid };
    bound = { kind: k.kind, name: ref.name, uid: obj.metadata.uid! };
  }
  const now = deps.now?.() ?? new Date();
  const token = deps.tokens.issueBound({ namespace, serviceAccount: { name, uid: sa.metadata.uid! }, audiences: spec.audiences, expirationSeconds: spec.expirationSeconds, bound, now });
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name, namespace, creationTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z') },
    spec,
    status: { token, expirationTimestamp: new Date(now.getTime() + spec.expirationSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z') },
  };
}
