import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { startExampleWebhook, type ExampleWebhook } from '../../../test/support/interpreter-webhook.js';
import { createDefaultInterpreter } from '../default.js';
import { LuaCustomizationLayer } from '../lua/customization.js';
import { createThirdPartyLayer } from '../thirdparty/index.js';
import { InterpreterError, type InterpreterOperation } from '../types.js';
import { applyResponsePatch, buildContext, hooksOf, relevantHook, ruleMatches, verifyResponse, type ResourceInterpreterWebhookConfiguration } from './context.js';
import { isInterpretationPending, WebhookInterpreterLayer } from './layer.js';

const gvk = { group: 'workload.example.io', version: 'v1alpha1', kind: 'Workload' };

describe('ruleMatches (interpreter.Matcher)', () => {
  const cases: { name: string; rule: Parameters<typeof ruleMatches>[0]; op: InterpreterOperation; want: boolean }[] = [
    { name: 'exact', rule: { operations: ['InterpretReplica'], apiGroups: ['workload.example.io'], apiVersions: ['v1alpha1'], kinds: ['Workload'] }, op: 'InterpretReplica', want: true },
    { name: 'wildcards everywhere', rule: { operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], kinds: ['*'] }, op: 'Retain', want: true },
    { name: 'other operation', rule: { operations: ['InterpretHealth'], apiGroups: ['*'], apiVersions: ['*'], kinds: ['*'] }, op: 'InterpretReplica', want: false },
    { name: 'other group', rule: { operations: ['*'], apiGroups: ['apps'], apiVersions: ['*'], kinds: ['*'] }, op: 'InterpretReplica', want: false },
    { name: 'other version', rule: { operations: ['*'], apiGroups: ['*'], apiVersions: ['v1'], kinds: ['*'] }, op: 'InterpretReplica', want: false },
    { name: 'other kind', rule: { operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], kinds: ['Deployment'] }, op: 'InterpretReplica', want: false },
    { name: 'an empty list matches nothing', rule: { operations: ['*'], apiGroups: [], apiVersions: ['*'], kinds: ['*'] }, op: 'InterpretReplica', want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(ruleMatches(c.rule, gvk, c.op), c.want));
});

test('the first relevant hook by "<configuration>/<webhook>" is the one called', () => {
  const config = (name: string, webhooks: string[], kinds = ['Workload']): ResourceInterpreterWebhookConfiguration => ({
    apiVersion: 'config.karmada.io/v1alpha1',
    kind: 'ResourceInterpreterWebhookConfiguration',
    metadata: { name },
    webhooks: webhooks.map((w) => ({ name: w, clientConfig: { url: `https://${w}` }, interpreterContextVersions: ['v1alpha1'], rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], kinds }] })),
  });
  const hooks = hooksOf([config('b', ['a.example.com']), config('a', ['z.example.com', 'y.example.com']), config('0', ['other'], ['Deployment'])]);
  assert.deepEqual(hooks.map((h) => h.uid), ['0/other', 'a/y.example.com', 'a/z.example.com', 'b/a.example.com']);
  assert.equal(relevantHook(hooks, gvk, 'InterpretReplica')?.uid, 'a/y.example.com');
  assert.equal(relevantHook(hooks, { ...gvk, kind: 'Other' }, 'InterpretReplica'), undefined);
});

describe('the ResourceInterpreterContext sent and the response checked', () => {
  const obj: KubeObject = { apiVersion: 'workload.example.io/v1alpha1', kind: 'Workload', metadata: { name: 'w', namespace: 'ns' }, spec: { replicas: 3 } } as KubeObject;

  test('the request carries the kind, name, namespace, operation, object and desiredReplicas', () => {
    const ctx = buildContext(['v1beta1', 'v1alpha1'], 'u1', { operation: 'ReviseReplica', object: obj, desiredReplicas: 2 }, gvk);
    assert.deepEqual(ctx.request, { uid: 'u1', kind: gvk, name: 'w', namespace: 'ns', operation: 'ReviseReplica', object: obj, desiredReplicas: 2 });
    assert.equal(buildContext(['v1alpha1'], 'u', { operation: 'InterpretReplica', object: obj }, gvk).request?.desiredReplicas, 0);
    assert.throws(() => buildContext(['v1beta1'], 'u', { operation: 'InterpretReplica', object: obj }, gvk), /does not accept known ResourceInterpreterContext versions \(v1alpha1\)/);
  });

  const b64 = (ops: unknown) => Buffer.from(JSON.stringify(ops)).toString('base64');
  const cases: { name: string; op: InterpreterOperation; response: unknown; error?: RegExp }[] = [
    { name: 'no response', op: 'InterpretReplica', response: undefined, error: /webhook response was absent/ },
    { name: 'another uid', op: 'InterpretReplica', response: { uid: 'x', successful: true, replicas: 1 }, error: /expected response.uid "u", got "x"/ },
    { name: 'unsuccessful without status', op: 'InterpretReplica', response: { uid: 'u', successful: false }, error: /require response.status/ },
    { name: 'unsuccessful', op: 'InterpretReplica', response: { uid: 'u', successful: false, status: { code: 500, message: 'boom' } }, error: /get status code: 500, msg: boom/ },
    { name: 'replicas missing', op: 'InterpretReplica', response: { uid: 'u', successful: true }, error: /nil response.replicas/ },
    { name: 'replicas', op: 'InterpretReplica', response: { uid: 'u', successful: true, replicas: 0 } },
    { name: 'patch without type', op: 'ReviseReplica', response: { uid: 'u', successful: true, patch: b64([]) }, error: /nil response.patchType/ },
    { name: 'type without patch', op: 'Retain', response: { uid: 'u', successful: true, patchType: 'JSONPatch' }, error: /empty response.patch/ },
    { name: 'merge patch refused', op: 'AggregateStatus', response: { uid: 'u', successful: true, patch: b64({}), patchType: 'MergePatch' }, error: /invalid response.patchType of "MergePatch"/ },
    { name: 'no patch at all is no change', op: 'Retain', response: { uid: 'u', successful: true } },
    { name: 'rawStatus missing', op: 'InterpretStatus', response: { uid: 'u', successful: true }, error: /rawStatus/ },
    { name: 'healthy missing', op: 'InterpretHealth', response: { uid: 'u', successful: true }, error: /nil response.healthy/ },
    { name: 'dependency without kind', op: 'InterpretDependency', response: { uid: 'u', successful: true, dependencies: [{ apiVersion: 'v1', name: 'x' }] }, error: /dependencies\[0\]/ },
    { name: 'dependency with name and selector', op: 'InterpretDependency', response: { uid: 'u', successful: true, dependencies: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', labelSelector: {} }] }, error: /cannot be set at the same time/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const body = c.response === undefined ? {} : { response: c.response };
      if (c.error) assert.throws(() => verifyResponse('u', c.op, body), c.error);
      else assert.doesNotThrow(() => verifyResponse('u', c.op, body));
    });
  }

  test('a JSON patch is applied to a copy; none leaves the object as it is', () => {
    const revised = applyResponsePatch(obj, { patch: b64([{ op: 'replace', path: '/spec/replicas', value: 1 }]), patchType: 'JSONPatch' });
    assert.equal((revised as unknown as { spec: { replicas: number } }).spec.replicas, 1);
    assert.equal((obj as unknown as { spec: { replicas: number } }).spec.replicas, 3);
    assert.equal(applyResponsePatch(obj, {}), obj);
  });
});

describe('WebhookInterpreterLayer against an HTTPS webhook', () => {
  let hook: ExampleWebhook;
  before(async () => (hook = await startExampleWebhook()));
  after(() => hook.stop());

  const configFor = (url: string, caBundle: string | undefined, extra: Record<string, unknown> = {}): ResourceInterpreterWebhookConfiguration => ({
    apiVersion: 'config.karmada.io/v1alpha1',
    kind: 'ResourceInterpreterWebhookConfiguration',
    metadata: { name: 'examples' },
    webhooks: [{ name: 'workloads.example.com', clientConfig: { url, caBundle }, interpreterContextVersions: ['v1alpha1'], rules: [{ operations: ['*'], apiGroups: ['workload.example.io'], apiVersions: ['v1alpha1'], kinds: ['Workload'] }], ...extra }],
  });
  const workload = (replicas: number, extra: Record<string, unknown> = {}): KubeObject =>
    ({ apiVersion: 'workload.example.io/v1alpha1', kind: 'Workload', metadata: { name: 'w', namespace: 'default' }, spec: { replicas, paused: false }, ...extra }) as KubeObject;

  test('a first question is pending, then answered from the cache; prefetch answers at once', async () => {
    const layer = new WebhookInterpreterLayer();
    layer.setConfigurations([configFor(hook.url, hook.caBundle)]);
    assert.equal(layer.hookEnabled(gvk, 'InterpretReplica'), true);
    assert.equal(layer.hookEnabled({ ...gvk, kind: 'Other' }, 'InterpretReplica'), false);
    const obj = workload(5);
    assert.throws(() => layer.getReplicas(obj), (e) => isInterpretationPending(e));
    await layer.prefetch({ operation: 'InterpretReplica', object: obj });
    assert.equal(layer.getReplicas(obj).replicas, 5);
    const before = hook.requests.length;
    assert.equal(layer.getReplicas(obj).replicas, 5);
    assert.equal(hook.requests.length, before, 'the same question is not asked twice');

    const changed = workload(7);
    await layer.prefetch({ operation: 'InterpretReplica', object: changed });
    assert.equal(layer.getReplicas(changed).replicas, 7);

    await layer.prefetch({ operation: 'ReviseReplica', object: obj, desiredReplicas: 2 });
    assert.equal((layer.reviseReplica(obj, 2) as unknown as { spec: { replicas: number } }).spec.replicas, 2);
    const observed = workload(5, { spec: { replicas: 5, paused: true } });
    await layer.prefetch({ operation: 'Retain', object: obj, observedObject: observed });
    assert.equal((layer.retain(obj, observed) as unknown as { spec: { paused: boolean } }).spec.paused, true);
    const items = [{ clusterName: 'm1', status: { readyReplicas: 2 } }, { clusterName: 'm2', status: { readyReplicas: 3 } }];
    await layer.prefetch({ operation: 'AggregateStatus', object: obj, aggregatedStatus: items });
    assert.deepEqual((layer.aggregateStatus(obj, items) as { status?: unknown }).status, { readyReplicas: 5 });
    const member = workload(2, { status: { readyReplicas: 2 } });
    await layer.prefetch({ operation: 'InterpretHealth', object: member });
    assert.equal(layer.interpretHealth(member), 'Healthy');
    await layer.prefetch({ operation: 'InterpretStatus', object: member });
    assert.deepEqual(layer.reflectStatus(member), { readyReplicas: 2 });
    const last = hook.requests.at(-1)!;
    assert.equal(last.operation, 'InterpretStatus');
    assert.equal(last.object.metadata.name, 'w');
  });

  test('an unknown CA, an unreachable webhook, a timeout and successful: false are failures, never crashes', async () => {
    const other = await startExampleWebhook();
    await other.stop();
    const cases: { name: string; config: ResourceInterpreterWebhookConfiguration; error: RegExp; setup?: () => void }[] = [
      { name: 'certificate from another CA', config: configFor(hook.url, other.caBundle), error: /failed calling webhook "examples\/workloads.example.com": failed to call webhook: .*(certificate|self.signed)/i },
      { name: 'nobody listening', config: configFor(other.url, other.caBundle), error: /failed to call webhook: .*ECONNREFUSED/ },
      { name: 'slower than timeoutSeconds', config: configFor(hook.url, hook.caBundle, { timeoutSeconds: 1 }), error: /context deadline exceeded/, setup: () => (hook.delayMs = 1500) },
      { name: 'unsuccessful answer', config: configFor(hook.url, hook.caBundle), error: /get status code: 500, msg: no workloads today/, setup: () => (hook.failWith = 'no workloads today') },
    ];
    for (const c of cases) {
      c.setup?.();
      try {
        const layer = new WebhookInterpreterLayer({ failureTTLMs: 60_000 });
        layer.setConfigurations([c.config]);
        const obj = workload(3);
        await layer.prefetch({ operation: 'InterpretReplica', object: obj });
        assert.throws(() => layer.getReplicas(obj), (e: unknown) => e instanceof InterpreterError && c.error.test(e.message) && !isInterpretationPending(e), c.name);
      } finally {
        hook.delayMs = 0;
        hook.failWith = undefined;
      }
    }
  });

  test('a failed call is asked again after failureTTL', async () => {
    const layer = new WebhookInterpreterLayer({ failureTTLMs: 0 });
    layer.setConfigurations([configFor(hook.url, hook.caBundle)]);
    hook.failWith = 'not yet';
    const obj = workload(4);
    try {
      await layer.prefetch({ operation: 'InterpretReplica', object: obj });
    } finally {
      hook.failWith = undefined;
    }
    // the TTL has passed: the error is not the answer any more, the webhook is asked again
    assert.throws(() => layer.getReplicas(obj), (e) => isInterpretationPending(e));
    await layer.prefetch({ operation: 'InterpretReplica', object: obj });
    assert.equal(layer.getReplicas(obj).replicas, 4);
  });

  test('precedence in the chain: customization > webhook > third-party > native', async () => {
    const webhook = new WebhookInterpreterLayer();
    // the webhook claims the OpenKruise CloneSet, which the third-party layer knows too
    webhook.setConfigurations([{ ...configFor(hook.url, hook.caBundle), webhooks: [{ name: 'clonesets', clientConfig: { url: hook.url, caBundle: hook.caBundle }, interpreterContextVersions: ['v1alpha1'], rules: [{ operations: ['InterpretReplica'], apiGroups: ['apps.kruise.io'], apiVersions: ['*'], kinds: ['CloneSet'] }] }] }]);
    const thirdparty = await createThirdPartyLayer();
    try {
      const chain = createDefaultInterpreter({ thirdparty, webhook });
      hook.replicasOf = () => 42;
      const cloneSet = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', metadata: { name: 'c', namespace: 'default' }, spec: { replicas: 3, template: { spec: { containers: [] } } } } as unknown as KubeObject;
      await chain.prefetch({ operation: 'InterpretReplica', object: cloneSet });
      assert.equal(chain.getReplicas(cloneSet).replicas, 42, 'the webhook is asked before the third-party rule');
      const customization = await LuaCustomizationLayer.create();
      customization.load([{ metadata: { name: 'c' }, spec: { target: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet' }, customizations: { replicaResource: { luaScript: 'function GetReplicas(obj) return 7, {} end' } } } }]);
      chain.setLayer('customization', customization);
      assert.equal(chain.getReplicas(cloneSet).replicas, 7, 'a customization is asked before the webhook');
      chain.setLayer('customization', undefined);
      customization.close();
      chain.setLayer('webhook', undefined);
      assert.equal(chain.getReplicas(cloneSet).replicas, 3, 'without it, the third-party rule answers');
    } finally {
      hook.replicasOf = (obj) => obj.spec?.replicas ?? 0;
      thirdparty.close();
    }
  });
});
