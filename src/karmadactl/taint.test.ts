import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cordonTaints, parseTaints, updateTaints, type Taint } from './taint.js';

describe('parseTaints (kubectl taint syntax)', () => {
  const cases: { name: string; specs: string[]; add?: Taint[]; remove?: Taint[]; error?: RegExp }[] = [
    { name: 'key=value:Effect adds', specs: ['dedicated=special:NoSchedule'], add: [{ key: 'dedicated', value: 'special', effect: 'NoSchedule' }], remove: [] },
    { name: 'key:Effect adds without a value', specs: ['bar:NoExecute'], add: [{ key: 'bar', effect: 'NoExecute' }], remove: [] },
    { name: 'key:Effect- removes one effect', specs: ['dedicated:NoSchedule-'], add: [], remove: [{ key: 'dedicated', effect: 'NoSchedule' }] },
    { name: 'key- removes every effect', specs: ['dedicated-'], add: [], remove: [{ key: 'dedicated', effect: '' }] },
    { name: 'a prefixed key', specs: ['example.com/gpu=a100:PreferNoSchedule'], add: [{ key: 'example.com/gpu', value: 'a100', effect: 'PreferNoSchedule' }], remove: [] },
    { name: 'an unknown effect', specs: ['a=b:Never'], error: /invalid taint effect: Never, unsupported taint effect/ },
    { name: 'no effect', specs: ['a=b'], error: /invalid taint spec: a=b/ },
    { name: 'a bad key', specs: ['-a=b:NoSchedule'], error: /invalid taint spec/ },
    { name: 'the same key and effect twice', specs: ['a=b:NoSchedule', 'a=c:NoSchedule'], error: /duplicated taints with the same key and effect/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.error) return assert.throws(() => parseTaints(c.specs), c.error);
      assert.deepEqual(parseTaints(c.specs), { add: c.add, remove: c.remove });
    });
  }
});

describe('updateTaints (Karmada taint: tainted / untainted / modified)', () => {
  const old: Taint[] = [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }, { key: 'zone', effect: 'NoExecute' }];
  const cases: { name: string; add: Taint[]; remove: Taint[]; overwrite?: boolean; want?: { taints: Taint[]; operation: string }; error?: RegExp }[] = [
    { name: 'a new taint is added first', add: [{ key: 'gpu', effect: 'NoSchedule' }], remove: [], want: { taints: [{ key: 'gpu', effect: 'NoSchedule' }, ...old], operation: 'tainted' } },
    { name: 'an existing key+effect without --overwrite is refused', add: [{ key: 'dedicated', value: 'y', effect: 'NoSchedule' }], remove: [], error: /cluster m1 already has dedicated taint\(s\) with same effect\(s\) and --overwrite is false/ },
    { name: '--overwrite replaces the value', add: [{ key: 'dedicated', value: 'y', effect: 'NoSchedule' }], remove: [], overwrite: true, want: { taints: [{ key: 'dedicated', value: 'y', effect: 'NoSchedule' }, old[1]!], operation: 'modified' } },
    { name: 'key- removes it', add: [], remove: [{ key: 'zone', effect: '' }], want: { taints: [old[0]!], operation: 'untainted' } },
    { name: 'removing a missing taint says so', add: [], remove: [{ key: 'nope', effect: 'NoSchedule' }], error: /taint "nope:NoSchedule" not found/ },
    { name: 'adding and removing one key is refused', add: [{ key: 'a', effect: 'NoSchedule' }], remove: [{ key: 'a', effect: '' }], error: /can not both modify and remove the following taint\(s\) in the same command: \{"a":""\}/ },
    { name: 'adding one and removing another is modified', add: [{ key: 'gpu', effect: 'NoSchedule' }], remove: [{ key: 'zone', effect: 'NoExecute' }], want: { taints: [{ key: 'gpu', effect: 'NoSchedule' }, old[0]!], operation: 'modified' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.error) return assert.throws(() => updateTaints('m1', old, c.add, c.remove, !!c.overwrite), c.error);
      assert.deepEqual(updateTaints('m1', old, c.add, c.remove, !!c.overwrite), c.want);
    });
  }
});

describe('cordonTaints', () => {
  const unsched = { key: 'cluster.karmada.io/unschedulable', effect: 'NoSchedule' };
  test('cordon adds the unschedulable NoSchedule taint', () => assert.deepEqual(cordonTaints([], true), [unsched]));
  test('cordon twice changes nothing', () => assert.equal(cordonTaints([unsched], true), undefined));
  test('uncordon removes only it', () => assert.deepEqual(cordonTaints([{ key: 'a', effect: 'NoExecute' }, unsched], false), [{ key: 'a', effect: 'NoExecute' }]));
  test('uncordon of a schedulable cluster changes nothing', () => assert.equal(cordonTaints([], false), undefined));
});
