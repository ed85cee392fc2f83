// The CertificateSigningRequest writes kube-apiserver treats specially: create records the
// requester and checks the PEM request; the approval subresource changes only the conditions, and
// only for a caller RBAC lets `approve` the request's signer.
import { errors } from '../../../apimachinery/errors.js';
import { rfc3339Now } from '../../../apimachinery/meta.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import type { ResourceDef } from '../../../apis/resource.js';
import type { RequestContext } from '../../rest/context.js';
import type { ObjectStore } from '../../rest/object-store.js';
import type { Authorizer } from '../access.js';
import type { UserInfo } from '../authenticate.js';
import { readCertificateRequest } from '../certs.js';
import { prepareForCreate, stampConditions, validateApproval, validateSpec } from './csr.js';

type Obj = Record<string, any>;
const group = 'certificates.k8s.io';

export async function createCsr(objects: ObjectStore, def: ResourceDef, body: Obj, user: UserInfo, ctx: RequestContext): Promise<KubeObject> {
  const csr = body as KubeObject;
  if (csr.kind !== undefined && csr.kind !== 'CertificateSigningRequest') throw errors.badRequest(`the kind (${csr.kind}) does not match CertificateSigningRequest`);
  const spec = csr.spec as Obj | undefined;
  let unreadable: string | undefined;
  if (spec?.request) {
    const pem = typeof spec.request === 'string' ? Buffer.from(spec.request, 'base64').toString('utf8') : '';
    const read = await readCertificateRequest(pem);
    if ('error' in read) unreadable = read.error;
  }
  const problems = validateSpec(spec, unreadable);
  if (problems.length) throw errors.invalid('CertificateSigningRequest', group, csr.metadata?.name ?? '', problems);
  prepareForCreate(csr, user);
  return objects.create(def, undefined, csr, ctx);
}

/** kube-apiserver's approval check: `approve` on signers, by exact name or "<domain>/*" */
function mayApprove(authorizer: Authorizer, user: UserInfo, signerName: string): boolean {
  const names = [signerName, `${signerName.split('/')[0]}/*`];
  return names.some((name) => authorizer.authorize({ user, verb: 'approve', resourceRequest: true, path: '', apiGroup: group, resource: 'signers', name }).allowed);
}

export async function updateApproval(objects: ObjectStore, def: ResourceDef, name: string, body: Obj, user: UserInfo, authorizer: Authorizer, ctx: RequestContext): Promise<KubeObject> {
  if (body.metadata?.name && body.metadata.name !== name) throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  const wanted = ((body.status ?? {}) as Obj).conditions ?? [];
  if (!Array.isArray(wanted)) throw errors.badRequest('status.conditions must be a list');
  const { object } = await objects.guaranteedUpdate(def, undefined, name, ctx, (cur) => {
    const rv = body.metadata?.resourceVersion;
    if (rv && rv !== cur.metadata.resourceVersion) throw errors.conflictModified({ group, resource: 'certificatesigningrequests' }, name);
    const old = (((cur.status ?? {}) as Obj).conditions ?? []) as Obj[];
    const problems = validateApproval(wanted, old);
    if (problems.length) throw errors.invalid('CertificateSigningRequest', group, name, problems);
    const signerName = (cur.spec as Obj)?.signerName ?? '';
    const deciding = wanted.some((c: Obj) => (c.type === 'Approved' || c.type === 'Denied') && !old.some((o) => o.type === c.type));
    if (deciding && !mayApprove(authorizer, user, signerName)) {
      throw errors.forbidden({ group, resource: 'certificatesigningrequests' }, name, `user not permitted to approve requests with signerName "${signerName}"`);
    }
    cur.status = { ...((cur.status ?? {}) as Obj), conditions: stampConditions(wanted, old, rfc3339Now()) };
    return cur;
  }, { subresource: 'status' });
  return object;
}
