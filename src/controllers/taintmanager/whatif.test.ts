import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { ClusterTaintPolicy } from '../../apis/karmada/policy.js';
import { binding, cluster, dynamicWeight } from '../../scheduler/testing/fixtures.js';
import { failoverWhatIf, formatWhatIf } from './whatif.js';

const notReadyPolicy: ClusterTaintPolicy = {
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'ClusterTaintPolicy',
  metadata: { name: 'not-ready', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { addOnConditions: [{ conditionType: 'Ready', operator: 'NotIn', statusValues: ['True'] }], taints: [{ key: 'cluster.karmada.io/not-ready', effect: 'NoExecute' }] },
};
const tolerate = (seconds?: number) => [{ key: 'cluster.karmada.io/not-ready', operator: 'Exists' as const, effect: 'NoExecute' as const, ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) }];
const named = (b: ResourceBinding, name: string): ResourceBinding => ({ ...b, metadata: { ...b.metadata, name } });
const clusters = [cluster('member1'), cluster('member2')];
const now = new Date('2026-12-06T10:00:00Z');

describe('failoverWhatIf', () => {
  const divided = named(binding({ clusterAffinity: { clusterNames: ['member1', 'member2'] }, replicaScheduling: dynamicWeight, clusterTolerations: tolerate(30) }, 4, [{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 2 }]), 'web');
  const solo = named(binding({ clusterAffinity: { clusterNames: ['member1'] }, replicaScheduling: dynamicWeight }, 1, [{ name: 'member1', replicas: 1 }]), 'solo');
  const forever = named(binding({ clusterAffinity: { clusterNames: ['member1', 'member2'] }, replicaScheduling: dynamicWeight, clusterTolerations: tolerate() }, 2, [{ name: 'member1', replicas: 2 }]), 'forever');
  const elsewhere = named(binding({ replicaScheduling: dynamicWeight }, 2, [{ name: 'member2', replicas: 2 }]), 'elsewhere');

  test('evicted after the toleration to the other cluster; kept with nowhere to go; tolerated for ever; others not listed', () => {
    const w = failoverWhatIf('member1', clusters, [notReadyPolicy], [divided, solo, forever, elsewhere], now);
    assert.deepEqual(
      w.rows.map((r) => [r.name, r.action, r.afterSeconds, r.detail.replace(/: .*/, '')]),
      [
        ['web', 'evict', 30, 'to member2 (+2)'],
        ['solo', 'blocked', 0, 'nowhere to go, kept'],
        ['forever', 'keep', undefined, 'tolerates the NoExecute taints without a time limit'],
      ],
    );
    assert.match(formatWhatIf(w), /^If cluster member1 failed now, it would carry the taints cluster\.karmada\.io\/not-ready:NoSchedule, cluster\.karmada\.io\/not-ready:NoExecute\.\nNAMESPACE +NAME +REPLICAS +ACTION +AFTER +WHERE\ndefault +web +2 +evict +30s +to member2 \(\+2\)\n/);
  });

  test('asked between two seconds, the toleration is still counted whole', () => {
    for (const ms of ['000', '400', '600', '999']) {
      const w = failoverWhatIf('member1', clusters, [notReadyPolicy], [divided], new Date(`2026-12-06T10:00:00.${ms}Z`));
      assert.equal(w.rows[0]!.afterSeconds, 30, `at .${ms}`);
    }
  });

  test('without a ClusterTaintPolicy nothing is evicted, and the output says why', () => {
    const w = failoverWhatIf('member1', clusters, [], [divided], now);
    assert.equal(w.rows[0]!.action, 'keep');
    assert.match(formatWhatIf(w), /No ClusterTaintPolicy adds a NoExecute taint to a failed cluster/);
  });

  test('an unknown cluster is an error naming the known ones', () => {
    assert.throws(() => failoverWhatIf('nope', clusters, [], [], now), /cluster "nope" not found \(clusters: member1, member2\)/);
  });
});
