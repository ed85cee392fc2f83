// ResourceInterpreterContext (config.karmada.io/v1alpha1) as Karmada's webhook interpreter sends and
// checks it (customized/webhook/request and util/interpreter/rules.go): which hook a configuration
// offers for a kind and operation, the request body, and the verified response. Pure.
import type { GroupVersionKind, KubeObject } from '../../apimachinery/types.js';
import { applyJsonPatch } from '../../apimachinery/jsonpatch.js';
import type { AggregatedStatusItem, ComponentRequirements, ReplicaRequirements } from '../../apis/karmada/binding.js';
import { isObject } from '../native/object.js';
import type { DependentObjectReference, InterpreterOperation, RequestAttributes } from '../types.js';

interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  kinds?: string[];
}

export interface WebhookClientConfig {
  url?: string;
  service?: { namespace: string; name: string; path?: string; port?: number };
  /** base64 of a PEM bundle, as the API serves a `format: byte` field */
  caBundle?: string;
}

interface ResourceInterpreterWebhook {
  name: string;
  clientConfig: WebhookClientConfig;
  rules?: RuleWithOperations[];
  timeoutSeconds?: number;
  interpreterContextVersions?: string[];
}

export interface ResourceInterpreterWebhookConfiguration extends KubeObject {
  webhooks?: ResourceInterpreterWebhook[];
}

/** One webhook of one configuration (configmanager.WebhookAccessor). */
export interface WebhookHook {
  /** "<configuration>/<webhook>": hooks are tried in this order, the first relevant one is called */
  uid: string;
  configuration: string;
  webhook: ResourceInterpreterWebhook;
}

/** The default call timeout of a webhook without timeoutSeconds (Karmada's defaulting: 10s). */
export const defaultTimeoutSeconds = 10;

export function hooksOf(configs: readonly ResourceInterpreterWebhookConfiguration[]): WebhookHook[] {
  const hooks: WebhookHook[] = [];
  for (const c of configs) {
    for (const w of c.webhooks ?? []) {
      if (!w?.name) continue;
      hooks.push({ uid: `${c.metadata.name}/${w.name}`, configuration: c.metadata.name ?? '', webhook: w });
    }
  }
  return hooks.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
}

const wildcard = '*';
const exactOrWildcard = (value: string, items: string[] | undefined) => (items ?? []).some((i) => i === wildcard || i === value);

/** interpreter.Matcher: every part of one rule matches (operations, apiGroups, apiVersions, kinds). */
export function ruleMatches(rule: RuleWithOperations, gvk: GroupVersionKind, operation: InterpreterOperation): boolean {
  return exactOrWildcard(operation, rule.operations) && exactOrWildcard(gvk.group, rule.apiGroups) && exactOrWildcard(gvk.version, rule.apiVersions) && exactOrWildcard(gvk.kind, rule.kinds);
}

/** The first hook (by uid) with a rule for this kind and operation. */
export function relevantHook(hooks: readonly WebhookHook[], gvk: GroupVersionKind, operation: InterpreterOperation): WebhookHook | undefined {
  return hooks.find((h) => (h.webhook.rules ?? []).some((r) => ruleMatches(r, gvk, operation)));
}

interface ResourceInterpreterRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  name: string;
  namespace?: string;
  operation: InterpreterOperation;
  object: KubeObject;
  observedObject?: KubeObject;
  desiredReplicas: number;
  aggregatedStatus?: AggregatedStatusItem[];
}

export interface ResourceInterpreterResponse {
  uid?: string;
  successful?: boolean;
  status?: { message?: string; code?: number };
  patch?: string;
  patchType?: string;
  replicas?: number;
  replicaRequirements?: ReplicaRequirements;
  components?: ComponentRequirements[];
  dependencies?: DependentObjectReference[];
  rawStatus?: Record<string, unknown> | null;
  healthy?: boolean;
}

export interface ResourceInterpreterContext {
  apiVersion: 'config.karmada.io/v1alpha1';
  kind: 'ResourceInterpreterContext';
  request?: ResourceInterpreterRequest;
  response?: ResourceInterpreterResponse;
}

/**
 * CreateResourceInterpreterContext: the v1alpha1 body, or an error when the webhook accepts no
 * version we send. desiredReplicas is always present (0 unless revising), as Karmada sends it.
 */
export function buildContext(versions: readonly string[] | undefined, uid: string, a: RequestAttributes, gvk: GroupVersionKind): ResourceInterpreterContext {
  if (!(versions ?? []).includes('v1alpha1')) throw new Error('webhook does not accept known ResourceInterpreterContext versions (v1alpha1)');
  const request: ResourceInterpreterRequest = {
    uid,
    kind: { group: gvk.group, version: gvk.version, kind: gvk.kind },
    name: a.object.metadata?.name ?? '',
    operation: a.operation,
    object: a.object,
    desiredReplicas: a.desiredReplicas ?? 0,
  };
  if (a.object.metadata?.namespace) request.namespace = a.object.metadata.namespace;
  if (a.aggregatedStatus) request.aggregatedStatus = a.aggregatedStatus;
  if (a.observedObject) request.observedObject = a.observedObject;
  return { apiVersion: 'config.karmada.io/v1alpha1', kind: 'ResourceInterpreterContext', request };
}

/** VerifyResourceInterpreterContext plus the `successful` check: the response, or why it is unusable. */
export function verifyResponse(uid: string, operation: InterpreterOperation, body: unknown): ResourceInterpreterResponse {
  const response = isObject(body) ? body.response : undefined;
  if (!isObject(response)) throw new Error('webhook response was absent');
  const r = response as ResourceInterpreterResponse;
  if (r.uid !== uid) throw new Error(`expected response.uid "${uid}", got "${r.uid ?? ''}"`);
  if (!r.successful) {
    if (!isObject(r.status)) throw new Error('webhook require response.status when response.successful is false');
    throw new Error(`webhook call failed, get status code: ${r.status.code ?? 0}, msg: ${r.status.message ?? ''}`);
  }
  switch (operation) {
    case 'InterpretReplica':
      if (typeof r.replicas !== 'number' || !Number.isInteger(r.replicas)) throw new Error('webhook returned nil response.replicas');
      return r;
    case 'InterpretComponent':
      return r;
    case 'InterpretDependency':
      verifyDependencies(r.dependencies);
      return r;
    case 'ReviseReplica':
    case 'Retain':
    case 'AggregateStatus':
      verifyPatch(r);
      return r;
    case 'InterpretStatus':
      if (r.rawStatus === undefined) throw new Error('webhook returned nill response.rawStatus');
      return r;
    case 'InterpretHealth':
      if (typeof r.healthy !== 'boolean') throw new Error('webhook returned nil response.healthy');
      return r;
    default:
      throw new Error(`input wrong operation type: ${String(operation)}`);
  }
}

function verifyPatch(r: ResourceInterpreterResponse): void {
  if (!r.patch && r.patchType === undefined) return;
  if (r.patchType === undefined) throw new Error('webhook returned nil response.patchType');
  if (!r.patch) throw new Error('webhook returned empty response.patch');
  if (r.patchType !== 'JSONPatch') throw new Error(`webhook returned invalid response.patchType of "${r.patchType}"`);
}

/** validation.VerifyDependencies */
function verifyDependencies(deps: unknown): void {
  if (deps === undefined || deps === null) return;
  if (!Array.isArray(deps)) throw new Error('webhook returned response.dependencies that is not a list');
  deps.forEach((d, i) => {
    if (!isObject(d) || !d.apiVersion || !d.kind) throw new Error(`dependencies[${i}]: apiVersion and kind must be set`);
    if (d.name && d.labelSelector) throw new Error(`dependencies[${i}]: name and labelSelector cannot be set at the same time`);
  });
}

/** applyPatch: the object with the response's base64 JSON patch applied; unchanged without one. */
export function applyResponsePatch(obj: KubeObject, r: ResourceInterpreterResponse): KubeObject {
  if (!r.patch) return obj;
  const ops = JSON.parse(Buffer.from(r.patch, 'base64').toString('utf8')) as unknown;
  if (Array.isArray(ops) && ops.length === 0) return obj;
  return applyJsonPatch(obj, ops) as KubeObject;
}
