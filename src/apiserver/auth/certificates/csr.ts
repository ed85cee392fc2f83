// CertificateSigningRequest rules (certificates.k8s.io/v1, kube-apiserver's registry strategy and
// the csrsigning controller's signer checks): the requester recorded on create, spec validation,
// the approval subresource's conditions, and what each built-in signer agrees to sign. Pure.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import type { UserInfo } from '../authenticate.js';

type Obj = Record<string, any>;

const clientSigner = 'kubernetes.io/kube-apiserver-client';
const kubeletClientSigner = 'kubernetes.io/kube-apiserver-client-kubelet';
export const signedBy = [clientSigner, kubeletClientSigner];
const minExpirationSeconds = 600;
/** kube-controller-manager's --cluster-signing-duration default */
export const defaultSigningSeconds = 365 * 24 * 3600;

/** on create: the requester is whoever asks, whatever the body says; status starts empty */
export function prepareForCreate(csr: KubeObject, user: UserInfo): void {
  const spec = (csr.spec ??= {}) as Obj;
  spec.username = user.name;
  spec.groups = user.groups;
  if (user.uid) spec.uid = user.uid;
  else delete spec.uid;
  if (user.extra && Object.keys(user.extra).length) spec.extra = user.extra;
  else delete spec.extra;
  csr.status = {};
}

export function validateSpec(spec: Obj | undefined, requestReadable: string | undefined): FieldError[] {
  const out: FieldError[] = [];
  if (!spec) return [{ type: 'FieldValueRequired', field: 'spec', detail: 'spec is required' }];
  if (!spec.request) out.push({ type: 'FieldValueRequired', field: 'spec.request' });
  else if (requestReadable) out.push({ type: 'FieldValueInvalid', field: 'spec.request', value: '[]byte{...}', detail: requestReadable });
  if (!spec.signerName) out.push({ type: 'FieldValueRequired', field: 'spec.signerName' });
  else if (spec.signerName === 'kubernetes.io/legacy-unknown') out.push({ type: 'FieldValueInvalid', field: 'spec.signerName', value: spec.signerName, detail: 'the legacy signerName is not allowed via this API version' });
  else if (!/^[a-z0-9.-]+\/[A-Za-z0-9._-]+$/.test(spec.signerName)) out.push({ type: 'FieldValueInvalid', field: 'spec.signerName', value: spec.signerName, detail: 'must be a fully qualified domain and path of the form "example.com/signer-name"' });
  if (!Array.isArray(spec.usages) || !spec.usages.length) out.push({ type: 'FieldValueRequired', field: 'spec.usages' });
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null && !(Number.isInteger(spec.expirationSeconds) && spec.expirationSeconds >= minExpirationSeconds)) {
    out.push({ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', value: spec.expirationSeconds, detail: 'may not specify a duration less than 600 seconds (10 minutes)' });
  }
  return out;
}


/** the conditions an approval update may set: Approved and Denied exclusive, both True, neither removed */
export function validateApproval(conditions: Obj[], old: Obj[]): FieldError[] {
  const out: FieldError[] = [];
  const has = (list: Obj[], type: string) => list.some((c) => c.type === type);
  conditions.forEach((c, i) => {
    if (!c.type) out.push({ type: 'FieldValueRequired', field: `status.conditions[${i}].type` });
    if ((c.type === 'Approved' || c.type === 'Denied') && c.status !== 'True') out.push({ type: 'FieldValueNotSupported', field: `status.conditions[${i}].status`, value: c.status, supported: ['True'] });
  });
  if (has(conditions, 'Approved') && has(conditions, 'Denied')) out.push({ type: 'FieldValueInvalid', field: 'status.conditions', value: conditions.map((c) => c.type), detail: 'Approved and Denied conditions are mutually exclusive' });
  for (const type of ['Approved', 'Denied']) {
    if (has(old, type) && !has(conditions, type)) out.push({ type: 'FieldValueForbidden', field: 'status.conditions', detail: `updates may not remove a condition of type "${type}"` });
  }
  return out;
}

/** fills the times an approval left out */
export function stampConditions(conditions: Obj[], old: Obj[], now: string): Obj[] {
  return conditions.map((c) => {
    const before = old.find((o) => o.type === c.type);
    return { ...c, lastUpdateTime: c.lastUpdateTime ?? now, lastTransitionTime: c.lastTransitionTime ?? (before && before.status === c.status ? before.lastTransitionTime : now) };
  });
}

export type CsrState = 'pending' | 'approved' | 'denied' | 'failed' | 'issued';

export function csrState(csr: KubeObject): CsrState {
  const status = (csr.status ?? {}) as Obj;
  const conditions = (status.conditions ?? []) as Obj[];
  const is = (t: string) => conditions.some((c) => c.type === t && c.status === 'True');
  if (is('Failed')) return 'failed';
  if (is('Denied')) return 'denied';
  if (status.certificate) return 'issued';
  if (is('Approved')) return 'approved';
  return 'pending';
}

/** why the signer refuses the request (the csrsigning controller's Failed message), if it does */
export function signerRefusal(signerName: string, usages: string[], subject: { commonName: string; organizations: string[] }): string | undefined {
  const allowed = new Set(['digital signature', 'key encipherment', 'client auth']);
  const bad = usages.filter((u) => !allowed.has(u));
  if (bad.length) return `invalid usage for client certificate: ${bad.join(', ')}`;
  if (!usages.includes('client auth')) return 'missing required usage for client certificate: client auth';
  if (signerName === kubeletClientSigner) {
    if (!subject.commonName.startsWith('system:node:')) return `subject common name does not begin with system:node:`;
    if (subject.organizations.length !== 1 || subject.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  }
  return undefined;
}
