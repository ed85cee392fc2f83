import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLoad, podShare, splitOverContainers } from './load.js';

describe('load model', () => {
  const shares: { name: string; load: { cpu: string; memory?: string }; setWith: number; running: number; want: { cpu: number; memory?: number } }[] = [
    { name: 'as many pods as when set: each gets the per-pod load', load: { cpu: '200m' }, setWith: 2, running: 2, want: { cpu: 200_000_000 } },
    { name: 'scaled out to 5: the total of 2 pods spread over 5', load: { cpu: '200m' }, setWith: 2, running: 5, want: { cpu: 80_000_000 } },
    { name: 'scaled in to 1: one pod carries it all', load: { cpu: '800m', memory: '100Mi' }, setWith: 2, running: 1, want: { cpu: 1_600_000_000, memory: 200 * 2 ** 20 } },
    { name: 'set with no pod running: counts as one', load: { cpu: '1' }, setWith: 0, running: 2, want: { cpu: 500_000_000 } },
  ];
  for (const c of shares) test(c.name, () => assert.deepEqual(podShare(parseLoad(c.load, c.setWith), c.running), c.want));

  test('bad quantities name the flag', () => {
    assert.throws(() => parseLoad({ cpu: 'x' }, 1), /--cpu: "x" is not a cpu quantity/);
    assert.throws(() => parseLoad({}, 1), /--cpu: "" is not a cpu quantity/);
    assert.throws(() => parseLoad({ cpu: '1', memory: 'lots' }, 1), /--memory: "lots" is not a memory quantity/);
  });

  test('a pod\'s usage splits over its containers by their requests', () => {
    assert.deepEqual(splitOverContainers(300, [100, 200]), [100, 200]);
    assert.deepEqual(splitOverContainers(300, [0, 0, 0]), [100, 100, 100]);
    assert.deepEqual(splitOverContainers(300, []), []);
  });
});
