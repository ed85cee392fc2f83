import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fenceposts, newRSReplicas, scaleDownOld } from './rollout.js';

describe('fenceposts', () => {
  const cases = [
    { name: 'defaults: 25% surge rounds up, 25% unavailable rounds down', surge: undefined, unavail: undefined, replicas: 5, want: { surge: 2, unavailable: 1 } },
    { name: 'both zero: one may be unavailable', surge: 0, unavail: 0, replicas: 3, want: { surge: 0, unavailable: 1 } },
    { name: 'absolute numbers', surge: 1, unavail: 2, replicas: 10, want: { surge: 1, unavailable: 2 } },
    { name: 'percent of one replica', surge: '25%', unavail: '25%', replicas: 1, want: { surge: 1, unavailable: 0 } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(fenceposts(c.surge, c.unavail, c.replicas), c.want));
});

describe('newRSReplicas', () => {
  const cases = [
    { name: 'first rollout scales the new ReplicaSet to the full count', replicas: 3, surge: 1, all: [{ name: 'n', replicas: 0, available: 0 }], want: 3 },
    { name: 'surge bounds the new ReplicaSet while old pods remain', replicas: 4, surge: 1, all: [{ name: 'o', replicas: 4, available: 4 }, { name: 'n', replicas: 0, available: 0 }], want: 1 },
    { name: 'no room above replicas+surge: unchanged', replicas: 4, surge: 1, all: [{ name: 'o', replicas: 4, available: 4 }, { name: 'n', replicas: 1, available: 0 }], want: 1 },
    { name: 'scale down of the new ReplicaSet follows the deployment', replicas: 2, surge: 1, all: [{ name: 'n', replicas: 5, available: 5 }], want: 2 },
  ];
  for (const c of cases) test(c.name, () => assert.equal(newRSReplicas(c.replicas, c.surge, c.all, c.all[c.all.length - 1]), c.want));
});

describe('scaleDownOld', () => {
  const cases = [
    { name: 'old available pods go down by what maxUnavailable allows', replicas: 4, unavail: 1, newRS: { name: 'n', replicas: 1, available: 0 }, old: [{ name: 'o', replicas: 4, available: 4 }], want: [['o', 3]] },
    { name: 'nothing while the new pods are not available and the budget is used', replicas: 4, unavail: 1, newRS: { name: 'n', replicas: 1, available: 0 }, old: [{ name: 'o', replicas: 3, available: 3 }], want: [] },
    { name: 'unavailable old pods are cleaned up first', replicas: 2, unavail: 0, newRS: { name: 'n', replicas: 2, available: 2 }, old: [{ name: 'o', replicas: 2, available: 0 }], want: [['o', 0]] },
    { name: 'oldest ReplicaSet first', replicas: 2, unavail: 0, newRS: { name: 'n', replicas: 2, available: 2 }, old: [{ name: 'a', replicas: 1, available: 1 }, { name: 'b', replicas: 1, available: 1 }], want: [['a', 0], ['b', 0]] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual([...scaleDownOld(c.replicas, c.unavail, c.newRS, c.old)], c.want));
});
