import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { internalContext } from '../../apiserver/rest/context.js';
import { isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { memberConfig, nodePool } from '../config.js';
import { SimulatedMember } from '../member.js';

let member: SimulatedMember;
let dir: string;
const ctx = internalContext('test');
const def = (group: string, resource: string) => member.apiServer!.registry.versionsOf(group, resource)[0];

async function until<T>(fn: () => Promise<T | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}; errors: ${JSON.stringify(member.errors())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pod = (name: string, cpu: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }] } });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'membersim-quota-'));
  member = await SimulatedMember.start(memberConfig('m1', { nodes: [nodePool({ count: 1, cpu: '8', memory: '8Gi' })] }), { dataDir: dir, timing: { podStartupMs: 50 } });
});

after(async () => {
  await member?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a ResourceQuota counts the namespace\'s pods and refuses the one past hard', async () => {
  const objects = member.apiServer!.objects;
  await objects.create(def('', 'resourcequotas'), 'default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'default' }, spec: { hard: { cpu: '1', pods: '5' } } }, ctx);
  await until(async () => {
    const q = await objects.get(def('', 'resourcequotas'), 'default', 'compute');
    return JSON.stringify(q.status) === JSON.stringify({ hard: { cpu: '1', pods: '5' }, used: { cpu: '0', pods: '0' } });
  }, 'status.used filled');

  await objects.create(def('', 'pods'), 'default', pod('a', '600m'), ctx);
  await assert.rejects(objects.create(def('', 'pods'), 'default', pod('b', '500m'), ctx), (err: unknown) => {
    assert.ok(isStatusError(err, 'Forbidden'));
    assert.equal((err as Error).message, 'pods "b" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=600m, limited: cpu=1');
    return true;
  });
  await objects.create(def('', 'pods'), 'default', pod('c', '400m'), ctx);
  await until(async () => {
    const q = await objects.get(def('', 'resourcequotas'), 'default', 'compute');
    return JSON.stringify((q.status as { used?: unknown }).used) === JSON.stringify({ cpu: '1', pods: '2' });
  }, 'used counts both admitted pods');

  await objects.delete(def('', 'pods'), 'default', 'a', { gracePeriodSeconds: 0 }, ctx);
  await until(async () => {
    const q = await objects.get(def('', 'resourcequotas'), 'default', 'compute');
    return JSON.stringify((q.status as { used?: unknown }).used) === JSON.stringify({ cpu: '400m', pods: '1' });
  }, 'a deleted pod frees its share');
});

test('a ReplicaSet whose pods the quota refuses reports ReplicaFailure, and so does its Deployment', async () => {
  const objects = member.apiServer!.objects;
  await objects.create(def('', 'namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }, ctx);
  await objects.create(def('', 'resourcequotas'), 'apps', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'apps' }, spec: { hard: { 'requests.cpu': '1' } } }, ctx);
  await until(async () => (await objects.get(def('', 'resourcequotas'), 'apps', 'compute')).status, 'quota status');
  await objects.create(def('apps', 'deployments'), 'apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '400m' } } }] } } },
  }, ctx);
  type Cond = { type: string; status: string; reason: string; message: string };
  const failureOf = (o: KubeObject) => ((o.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).find((c) => c.type === 'ReplicaFailure');
  const d = await until(async () => {
    const d = await objects.get(def('apps', 'deployments'), 'apps', 'web');
    return failureOf(d) ? d : undefined;
  }, 'the Deployment reports ReplicaFailure');
  const cond = failureOf(d)!;
  assert.equal(cond.status, 'True');
  assert.equal(cond.reason, 'FailedCreate');
  assert.match(cond.message, /^pods "web-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota: compute, requested: requests\.cpu=400m, used: requests\.cpu=800m, limited: requests\.cpu=1$/);
  const pods = (await objects.list(def('', 'pods'), 'apps')).items;
  assert.equal(pods.length, 2, 'two pods fit the quota');

  // a bigger quota lets the third pod in, and the failure goes away
  const q = await objects.get(def('', 'resourcequotas'), 'apps', 'compute');
  await objects.update(def('', 'resourcequotas'), 'apps', 'compute', { ...q, spec: { hard: { 'requests.cpu': '2' } } }, ctx);
  await until(async () => {
    const d = await objects.get(def('apps', 'deployments'), 'apps', 'web');
    return !failureOf(d) && (await objects.list(def('', 'pods'), 'apps')).items.length === 3;
  }, 'three pods and no ReplicaFailure', 15_000);
});

test('a quota created just before a pod holds for it, though the pod\'s namespace had no quota a moment before', async () => {
  const objects = member.apiServer!.objects;
  await objects.create(def('', 'namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'burst' } }, ctx);
  const inBurst = (p: KubeObject): KubeObject => ({ ...p, metadata: { ...p.metadata, namespace: 'burst' } });
  await objects.create(def('', 'pods'), 'burst', inBurst(pod('first', '100m')), ctx);
  // the quota and its status written back to back, the pod right after: no time for any informer to catch up
  await objects.create(def('', 'resourcequotas'), 'burst', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'tight', namespace: 'burst' }, spec: { hard: { pods: '1' } } }, ctx);
  await objects.guaranteedUpdate(def('', 'resourcequotas'), 'burst', 'tight', ctx, (q) => ({ ...q, status: { hard: { pods: '1' }, used: { pods: '1' } } }), { subresource: 'status' });
  await assert.rejects(objects.create(def('', 'pods'), 'burst', inBurst(pod('second', '100m')), ctx), (err: unknown) => {
    assert.ok(isStatusError(err, 'Forbidden'));
    assert.equal((err as Error).message, 'pods "second" is forbidden: exceeded quota: tight, requested: pods=1, used: pods=1, limited: pods=1');
    return true;
  });
});
