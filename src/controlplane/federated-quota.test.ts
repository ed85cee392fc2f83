// The control plane with FederatedQuotaEnforcement: its API server refuses ResourceBinding writes past
// a FederatedResourceQuota's overall (Karmada's resourcebinding webhook) and charges admitted ones.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStatusError } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { internalContext } from '../apiserver/rest/context.js';
import { ControlPlane } from './index.js';

let cp: ControlPlane;
let dir: string;
const ctx = internalContext('test');
const def = (group: string, resource: string) => cp.apiserver.registry.versionsOf(group, resource)[0];

const binding = (name: string, replicas: number, cpu = '500m'): KubeObject => ({
  apiVersion: 'work.karmada.io/v1alpha2',
  kind: 'ResourceBinding',
  metadata: { name, namespace: 'default' },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name }, replicas, replicaRequirements: { resourceRequest: { cpu } }, clusters: [{ name: 'member1', replicas }] },
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'frq-'));
  cp = await ControlPlane.start({ dataDir: dir, port: 0, storage: { backend: 'memory' }, components: false, featureGates: 'FederatedQuotaEnforcement=true' });
  await cp.apiserver.objects.create(def('policy.karmada.io', 'federatedresourcequotas'), 'default', { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'FederatedResourceQuota', metadata: { name: 'team', namespace: 'default' }, spec: { overall: { cpu: '2' } } }, ctx);
});

after(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('bindings are charged to overallUsed until the overall is reached, then refused with QuotaExceeded', async () => {
  const objects = cp.apiserver.objects;
  const rbs = def('work.karmada.io', 'resourcebindings');
  const frqs = def('policy.karmada.io', 'federatedresourcequotas');
  await objects.create(rbs, 'default', binding('a', 2), ctx);
  assert.deepEqual((await objects.get(frqs, 'default', 'team')).status, { overallUsed: { cpu: '1' } });

  await assert.rejects(objects.create(rbs, 'default', binding('b', 3), ctx), (err: unknown) => {
    assert.ok(isStatusError(err, 'QuotaExceeded'));
    assert.equal((err as { code: number }).code, 403);
    assert.equal((err as Error).message, 'admission webhook "resourcebinding.karmada.io" denied the request: FederatedResourceQuota(default/team) exceeded for resource cpu: requested sum 2500m, limit 2.');
    return true;
  });
  assert.deepEqual((await objects.get(frqs, 'default', 'team')).status, { overallUsed: { cpu: '1' } }, 'a refused binding is not charged');

  // not yet scheduled: nothing to charge
  const unscheduled = binding('c', 4);
  delete (unscheduled.spec as { clusters?: unknown }).clusters;
  await objects.create(rbs, 'default', unscheduled, ctx);

  // scaling a down frees its share
  const a = await objects.get(rbs, 'default', 'a');
  (a.spec as { clusters: { name: string; replicas: number }[] }).clusters = [{ name: 'member1', replicas: 1 }];
  await objects.update(rbs, 'default', 'a', a, ctx);
  assert.deepEqual((await objects.get(frqs, 'default', 'team')).status, { overallUsed: { cpu: '500m' } });
});
