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
