import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from '../../apimachinery/types.js';
import { nextInterpretedCondition } from './condition.js';

const failed = (reason: string): Condition => ({ type: 'Interpreted', status: 'False', reason, message: 'x', lastTransitionTime: '2026-01-01T00:00:00Z' });
const cases: { name: string; current?: Condition[]; reasons: string[]; error?: string; want?: Partial<Condition> }[] = [
  { name: 'a failure sets False with its reason and says what stays', reasons: ['GetReplicasFailed'], error: 'script exceeded its instruction budget', want: { status: 'False', reason: 'GetReplicasFailed', message: 'script exceeded its instruction budget; the binding keeps the last interpretation that worked' } },
  { name: 'a success with no condition leaves it absent', reasons: ['GetReplicasFailed'], want: undefined },
  { name: 'a success clears its own failure', current: [failed('GetComponentsFailed')], reasons: ['GetReplicasFailed', 'GetComponentsFailed'], want: { status: 'True', reason: 'InterpretationSucceeded', message: '' } },
  { name: 'a success leaves another interpretation\'s failure', current: [failed('AggregateStatusFailed')], reasons: ['GetReplicasFailed'], want: undefined },
  { name: 'a success leaves True as it is', current: [{ type: 'Interpreted', status: 'True', reason: 'InterpretationSucceeded' } as Condition], reasons: ['GetReplicasFailed'], want: undefined },
  { name: 'a failure replaces another failure', current: [failed('AggregateStatusFailed')], reasons: ['GetDependenciesFailed'], error: 'boom', want: { status: 'False', reason: 'GetDependenciesFailed' } },
];
for (const c of cases) {
  test(c.name, () => {
    const got = nextInterpretedCondition(c.current, c.reasons, c.error);
    if (c.want === undefined) assert.equal(got, undefined);
    else {
      assert.equal(got?.type, 'Interpreted');
      for (const [k, v] of Object.entries(c.want)) assert.equal(got?.[k as keyof Condition], v, k);
    }
  });
}
