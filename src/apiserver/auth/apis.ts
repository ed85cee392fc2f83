// The API endpoints authentication and authorization answer themselves instead of (only) storing
// objects: the review kinds of authorization.k8s.io and authentication.k8s.io, serviceaccounts/token,
// and CertificateSigningRequest create (the requester recorded) and approval.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../apimachinery/errors.js';
import { builtinMediaTypes, decodeDocument, mediaType, readBody, requireObjectBody } from '../http/body.js';
import { prefersProtobuf, sendObject } from '../http/respond.js';
import type { Authorizer } from './access.js';
import type { UserInfo } from './authenticate.js';
import type { RbacObjects } from './rbac/authorizer.js';
import type { Attributes } from './rbac/rules.js';
import { localSubjectAccessReview, selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview, subjectAccessReview, userInfoStatus } from './reviews.js';
import type { ServiceAccountAuth } from './serviceaccounts/index.js';
import type { Certificates } from './certificates/index.js';
import { createCsr, updateApproval } from './certificates/requests.js';
import { requestContext } from '../handlers/resources.js';
import type { ObjectStore } from '../rest/object-store.js';

export interface AuthApiDeps {
  authorizer: () => Authorizer;
  /** absent with AlwaysAllow */
  rbac: () => RbacObjects | undefined;
  serviceAccounts: () => ServiceAccountAuth;
  objects: () => ObjectStore;
  certificates: () => Certificates;
  /** every authenticator the server has, for TokenReview */
  authenticateToken(token: string): Promise<UserInfo | undefined>;
}

type Obj = Record<string, any>;

// readObject and reply are the only places these endpoints choose an encoding (JSON/YAML today;
// kubectl sends its reviews, TokenRequests and approvals as protobuf once the codec serves them)
async function readObject(req: IncomingMessage): Promise<Obj> {
  const type = mediaType(req);
  if (!builtinMediaTypes.includes(type)) throw errors.unsupportedMediaType(type, builtinMediaTypes);
  return requireObjectBody(decodeDocument(await readBody(req), type)) as Obj;
}

/**
 * answers the request and returns true, or returns false when it is not one of these endpoints;
 * `a` is the request's attributes as admit authorized them (a.user is the user it acts as)
 */
export async function serveAuthApi(deps: AuthApiDeps, req: IncomingMessage, res: ServerResponse, url: URL, a: Attributes): Promise<boolean> {
  if (req.method !== 'POST' && req.method !== 'PUT') return false;
  const user = a.user;
  if (!a.resourceRequest) return false;
  const key = `${req.method} ${a.apiGroup}/${a.resource}${a.subresource ? `/${a.subresource}` : ''}`;
  let out: Obj;
  let code = 201;
  switch (key.startsWith('POST ') ? key.slice(5) : key) {
    case 'authorization.k8s.io/selfsubjectaccessreviews':
      out = selfSubjectAccessReview(await readObject(req), user, deps.authorizer());
      break;
    case 'authorization.k8s.io/subjectaccessreviews':
      out = subjectAccessReview(await readObject(req), deps.authorizer());
      break;
    case 'authorization.k8s.io/localsubjectaccessreviews':
      if (!a.namespace) return false;
      out = localSubjectAccessReview(await readObject(req), a.namespace, deps.authorizer());
      break;
    case 'authorization.k8s.io/selfsubjectrulesreviews':
      out = selfSubjectRulesReview(await readObject(req), user, deps.rbac());
      break;
    case 'authentication.k8s.io/selfsubjectreviews':
      await readObject(req);
      out = selfSubjectReview(user);
      break;
    case 'authentication.k8s.io/tokenreviews': {
      const body = await readObject(req);
      const token = body.spec?.token;
      if (typeof token !== 'string' || !token) throw errors.invalid('TokenReview', 'authentication.k8s.io', '', [{ type: 'FieldValueRequired', field: 'spec.token', detail: 'token is required' }]);
      const found = await deps.authenticateToken(token);
      const status: Obj = found ? { authenticated: true, user: userInfoStatus(found), audiences: deps.serviceAccounts().tokens.audiences } : { user: {}, error: 'invalid bearer token' };
      out = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: { creationTimestamp: null }, spec: body.spec, status };
      break;
    }
    case '/serviceaccounts/token':
      if (!a.namespace || !a.name) return false;
      out = await deps.serviceAccounts().tokenRequest(await readObject(req), a.namespace, a.name);
      break;
    case 'certificates.k8s.io/certificatesigningrequests': {
      if (a.name) return false;
      const ctx = requestContext(req, url.searchParams);
      out = await createCsr(deps.objects(), deps.certificates().def(), await readObject(req), user, ctx);
      break;
    }
    case 'PUT certificates.k8s.io/certificatesigningrequests/approval': {
      const ctx = requestContext(req, url.searchParams);
      out = await updateApproval(deps.objects(), deps.certificates().def(), a.name!, await readObject(req), user, deps.authorizer(), ctx);
      code = 200;
      break;
    }
    default:
      return false;
  }
  reply(req, res, code, out);
  return true;
}

function reply(req: IncomingMessage, res: ServerResponse, code: number, out: Obj): void {
  sendObject(res, code, out, prefersProtobuf(req) ? 'protobuf' : 'json');
}
