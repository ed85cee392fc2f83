import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRun, pushLimited, reconcileHistories, rfc3339 } from './schedule.js';

describe('CronFederatedHPA schedules', () => {
  const at = Date.parse('2026-12-06T22:30:10Z');
  const cases: { name: string; schedule: string; timeZone?: string; want: string }[] = [
    { name: 'every minute', schedule: '* * * * *', want: '2026-12-06T22:31:00Z' },
    { name: 'weekdays at 08:30 UTC (Monday after a Sunday)', schedule: '30 8 * * 1-5', want: '2026-12-07T08:30:00Z' },
    { name: 'in a time zone: 08:00 in Shanghai is 00:00 UTC', schedule: '0 8 * * *', timeZone: 'Asia/Shanghai', want: '2026-12-07T00:00:00Z' },
    { name: 'in a time zone: 23:00 in New York is 04:00 UTC next day', schedule: '0 23 * * *', timeZone: 'America/New_York', want: '2026-12-07T04:00:00Z' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(rfc3339(nextRun(c, at)), c.want));
  test('a bad schedule throws', () => assert.throws(() => nextRun({ schedule: '61 * * * *' }, at)));

  test('histories: newest first, cut to the limit (default 3, 0 keeps none)', () => {
    assert.deepEqual(pushLimited([2, 1], 3, 2), [3, 2]);
    assert.deepEqual(pushLimited([3, 2, 1], 4, undefined), [4, 3, 2]);
    assert.deepEqual(pushLimited([1], 2, 0), []);
  });

  test('histories follow the rules: removed rules dropped, next run set or cleared', () => {
    const old = [{ ruleName: 'a', nextExecutionTime: 'x', successfulExecutions: [{ scheduleTime: 's', executionTime: 'e', appliedReplicas: 5 }] }, { ruleName: 'gone' }];
    const got = reconcileHistories([{ name: 'a', schedule: '* * * * *' }, { name: 'b', schedule: '* * * * *', suspend: true }], old, new Map([['a', at], ['b', undefined]]));
    assert.deepEqual(got, [{ ruleName: 'a', nextExecutionTime: rfc3339(at), successfulExecutions: old[0].successfulExecutions }, { ruleName: 'b' }]);
  });
});
