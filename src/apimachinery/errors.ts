// Every error that reaches a user is a Kubernetes Status, built here and nowhere else.
// Messages follow apimachinery's pkg/api/errors so kubectl prints what users know.
import type { Status, StatusCause, StatusDetails } from './types.js';

export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message ?? status.reason ?? `status ${status.code}`);
    this.name = 'StatusError';
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function isStatusError(err: unknown, reason?: string): err is StatusError {
  return err instanceof StatusError && (reason === undefined || err.status.reason === reason);
}

/** the one NotFound test: a 404 Status (reason NotFound, or a bare 404 from a server that gave no reason) */
export function isNotFound(err: unknown): boolean {
  return err instanceof StatusError && (err.status.reason === 'NotFound' || err.status.code === 404);
}

export function isAlreadyExists(err: unknown): boolean {
  return isStatusError(err, 'AlreadyExists');
}

/** a write against a stale resourceVersion: the object changed meanwhile (409 Conflict) */
export function isConflict(err: unknown): boolean {
  return isStatusError(err, 'Conflict');
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

/** Qualified resource as Kubernetes prints it: `deployments.apps`, or `configmaps` in the core group. */
export interface QualifiedResource {
  group: string;
  resource: string;
}

export function qualified(gr: QualifiedResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function detailsFor(gr: QualifiedResource, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: gr.resource };
  if (gr.group) d.group = gr.group;
  return d;
}

export const errors = {
  badRequest: (message: string) => failure(400, 'BadRequest', message),
  unauthorized: (message = 'Unauthorized') => failure(401, 'Unauthorized', message),
  forbidden: (gr: QualifiedResource, name: string, why: string) =>
    failure(403, 'Forbidden', `${qualified(gr)}${name ? ` "${name}"` : ''} is forbidden: ${why}`, detailsFor(gr, name)),
  forbiddenMessage: (message: string, details?: StatusDetails) => failure(403, 'Forbidden', message, details),
  /** what kube-apiserver returns when a validating webhook refuses: the webhook's code and reason, its message prefixed */
  webhookDenied: (webhook: string, code: number, reason: string, message: string) => failure(code, reason, `admission webhook "${webhook}" denied the request: ${message}`),
  notFound: (gr: QualifiedResource, name: string) =>
    failure(404, 'NotFound', `${qualified(gr)} "${name}" not found`, detailsFor(gr, name)),
  pathNotFound: () => failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  methodNotSupported: (gr: QualifiedResource, action: string) =>
    failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(gr)}"`, { kind: gr.resource, group: gr.group || undefined }),
  alreadyExists: (gr: QualifiedResource, name: string) =>
    failure(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, detailsFor(gr, name)),
  conflict: (gr: QualifiedResource, name: string, why: string) =>
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, detailsFor(gr, name)),
  conflictModified: (gr: QualifiedResource, name: string) =>
    errors.conflict(gr, name, 'the object has been modified; please apply your changes to the latest version and try again'),
  applyConflict: (message: string, causes: StatusCause[]) => failure(409, 'Conflict', message, { causes }),
  gone: (message: string) => failure(410, 'Gone', message),
  expired: (message: string) => failure(410, 'Expired', message),
  requestEntityTooLarge: (message: string) => failure(413, 'RequestEntityTooLarge', message),
  unsupportedMediaType: (contentType: string, accepted: string[]) =>
    failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {
      causes: [{ reason: 'UnexpectedServerResponse', message: contentType }],
    }),
  notAcceptable: (accepted: string[]) =>
    failure(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`),
  /** 422: `Kind.group "name" is invalid: field: Invalid value: ...; ...` with one cause per field. */
  invalid: (kind: string, group: string, name: string, causes: FieldError[]) => {
    const qualifiedKind = group ? `${kind}.${group}` : kind;
    const summary = causes.map(formatFieldError);
    const message = `${qualifiedKind} "${name}" is invalid: ${summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`}`;
    return failure(422, 'Invalid', message, {
      name,
      group: group || undefined,
      kind,
      causes: causes.map((c) => ({ reason: c.type, message: formatFieldErrorDetail(c), field: c.field })),
    });
  },
  invalidMessage: (message: string, causes?: StatusCause[]) => failure(422, 'Invalid', message, causes ? { causes } : undefined),
  tooManyRequests: (message: string, retryAfterSeconds = 1) => failure(429, 'TooManyRequests', message, { retryAfterSeconds }),
  internal: (message: string) => failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),
  serviceUnavailable: (message: string) => failure(503, 'ServiceUnavailable', message),
  timeout: (message: string) => failure(504, 'Timeout', `Timeout: ${message}`),
};

/** One field-level validation problem, as apimachinery's field.Error. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueTypeInvalid';
  field: string;
  /** the bad value, when there is one to show */
  value?: unknown;
  detail?: string;
  /** for NotSupported: the values that are allowed */
  supported?: string[];
}

const fieldErrorWords: Record<FieldError['type'], string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
};

function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `field: Invalid value: "x": detail`, as field.Error.Error() prints it. */
export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${formatFieldErrorDetail(e)}`;
}

function formatFieldErrorDetail(e: FieldError): string {
  const word = fieldErrorWords[e.type];
  const parts = [word];
  const showsValue = e.type === 'FieldValueInvalid' || e.type === 'FieldValueNotSupported' || e.type === 'FieldValueDuplicate' || e.type === 'FieldValueTypeInvalid';
  if (showsValue && e.value !== undefined) parts.push(showValue(e.value));
  let s = parts.join(': ');
  if (e.type === 'FieldValueNotSupported' && e.supported?.length) s += `: supported values: ${e.supported.map((x) => JSON.stringify(x)).join(', ')}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

