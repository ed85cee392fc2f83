import { test } from 'node:test';
import assert from 'node:assert/strict';
import { microTime, renewedLease } from './lease.js';

test('renewedLease', async (t) => {
  const now = Date.parse('2026-12-06T22:00:00.123Z');
  const cases = [
    {
      name: 'a new lease in karmada-cluster, owned by the cluster',
      existing: undefined,
      want: { namespace: 'karmada-cluster', holder: 'm1', renew: '2026-12-06T22:00:00.123000Z', owner: 'u1' },
    },
    {
      name: 'an existing lease keeps its resourceVersion and gets a new renewTime',
      existing: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'm1', namespace: 'karmada-cluster', resourceVersion: '7' }, spec: { holderIdentity: 'other', renewTime: 'old' } },
      want: { namespace: 'karmada-cluster', holder: 'm1', renew: '2026-12-06T22:00:00.123000Z', owner: 'u1', rv: '7' },
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const lease = renewedLease(c.existing, { name: 'm1', uid: 'u1' }, 40, now);
      const spec = lease.spec as Record<string, unknown>;
      assert.equal(lease.metadata.namespace, c.want.namespace);
      assert.equal(spec.holderIdentity, c.want.holder);
      assert.equal(spec.leaseDurationSeconds, 40);
      assert.equal(spec.renewTime, c.want.renew);
      assert.equal(lease.metadata.ownerReferences?.[0]?.uid, c.want.owner);
      if (c.want.rv) assert.equal(lease.metadata.resourceVersion, c.want.rv);
    });
  }
  assert.equal(microTime(0), '1970-01-01T00:00:00.000000Z');
});
