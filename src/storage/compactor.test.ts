import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactionTarget } from './compactor.js';

const cases: Array<{ name: string; current: number; compacted: number; minRetain: number; want: number | undefined }> = [
  { name: 'young store: nothing outside the window', current: 500, compacted: 0, minRetain: 1000, want: undefined },
  { name: 'exactly the window: nothing to do', current: 1000, compacted: 0, minRetain: 1000, want: undefined },
  { name: 'past the window: compact to current - minRetain', current: 2500, compacted: 0, minRetain: 1000, want: 1500 },
  { name: 'already compacted that far: nothing to do', current: 2500, compacted: 1500, minRetain: 1000, want: undefined },
  { name: 'window moved on: compact further', current: 2600, compacted: 1500, minRetain: 1000, want: 1600 },
];

for (const c of cases) {
  test(`compactionTarget: ${c.name}`, () => {
    assert.equal(compactionTarget(c.current, c.compacted, c.minRetain), c.want);
  });
}
