import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import { RecentWrites } from './recent-writes.js';

const obj = (name: string, resourceVersion: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion } });

describe('RecentWrites', () => {
  test('our write stands in while it is newer than the cached copy, and only while fresh', () => {
    const cases: { name: string; written?: string; cached: string; ageMs: number; want: string }[] = [
      { name: 'nothing written', cached: '5', ageMs: 0, want: '5' },
      { name: 'written after the cached copy', written: '7', cached: '5', ageMs: 0, want: '7' },
      { name: 'the informer caught up', written: '7', cached: '7', ageMs: 0, want: '7' },
      { name: 'the informer is past it', written: '7', cached: '9', ageMs: 0, want: '9' },
      { name: 'numerically, not as text', written: '10', cached: '9', ageMs: 0, want: '10' },
      { name: 'too old to trust', written: '7', cached: '5', ageMs: 10_001, want: '5' },
    ];
    for (const c of cases) {
      let now = 1_000;
      const r = new RecentWrites(10_000, 100, () => now);
      if (c.written) r.remember('default/a', obj('a', c.written));
      now += c.ageMs;
      assert.equal(r.freshest('default/a', obj('a', c.cached)).metadata.resourceVersion, c.want, c.name);
    }
  });

  test('newerThan: a write the informer has not reached stands in for an object it does not hold', () => {
    const r = new RecentWrites();
    r.remember('default/a', obj('a', '7'));
    assert.equal(r.newerThan('default/a', '6')?.metadata.resourceVersion, '7');
    assert.equal(r.newerThan('default/a', '8'), undefined, 'past it: deleted since');
    assert.equal(r.newerThan('default/b', '1'), undefined);
  });

  test('at most maxEntries, the oldest going first; expired ones go as new ones come', () => {
    let now = 0;
    const r = new RecentWrites(100, 3, () => now);
    for (const n of ['a', 'b', 'c', 'd']) r.remember(n, obj(n, '1'));
    assert.deepEqual(['a', 'b', 'c', 'd'].map((n) => !!r.get(n)), [false, true, true, true]);
    r.remember('b', obj('b', '2')); // rewritten: now the newest
    now = 101;
    r.remember('e', obj('e', '1'));
    assert.deepEqual(['b', 'c', 'd', 'e'].map((n) => !!r.get(n)), [false, false, false, true]);
    r.forget('e');
    assert.equal(r.get('e'), undefined);
  });
});
