import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from '../../apimachinery/types.js';
import { jsonEqual, setCondition } from './status.js';

describe('setCondition (meta.SetStatusCondition)', () => {
  const old: Condition[] = [{ type: 'Applied', status: 'True', reason: 'AppliedSuccessful', message: 'ok', lastTransitionTime: 't0' }];
  const cases: { name: string; set: Condition; want: Condition[] }[] = [
    { name: 'same status keeps the transition time but takes the new reason and message', set: { type: 'Applied', status: 'True', reason: 'R', message: 'm' }, want: [{ type: 'Applied', status: 'True', reason: 'R', message: 'm', lastTransitionTime: 't0' }] },
    { name: 'a status change moves the transition time', set: { type: 'Applied', status: 'False', reason: 'AppliedFailed', message: 'x' }, want: [{ type: 'Applied', status: 'False', reason: 'AppliedFailed', message: 'x', lastTransitionTime: 'now' }] },
    { name: 'a new type is appended', set: { type: 'Dispatching', status: 'True', reason: 'Dispatching', message: 'd' }, want: [old[0], { type: 'Dispatching', status: 'True', reason: 'Dispatching', message: 'd', lastTransitionTime: 'now' }] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(setCondition(old, c.set, 'now'), c.want));
});

describe('jsonEqual', () => {
  const cases = [
    { name: 'key order does not matter', a: { a: 1, b: [1, { c: 2, d: 3 }] }, b: { b: [1, { d: 3, c: 2 }], a: 1 }, want: true },
    { name: 'array order matters', a: [1, 2], b: [2, 1], want: false },
    { name: 'undefined members are absent', a: { a: 1, b: undefined }, b: { a: 1 }, want: true },
    { name: 'a missing key differs', a: { a: 1 }, b: { a: 1, c: 1 }, want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(jsonEqual(c.a, c.b), c.want));
});
