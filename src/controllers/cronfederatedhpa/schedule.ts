// CronFederatedHPA's schedule and history bookkeeping as pure functions: the next run of a rule
// (cron-parser, in the rule's IANA time zone, as gocron does for Karmada) and the newest-first
// execution histories cut to successfulHistoryLimit / failedHistoryLimit (default 3).
import cronParser from 'cron-parser';

export interface CronRule {
  name: string;
  schedule: string;
  timeZone?: string;
  suspend?: boolean;
  targetReplicas?: number;
  targetMinReplicas?: number;
  targetMaxReplicas?: number;
  successfulHistoryLimit?: number;
  failedHistoryLimit?: number;
}

interface SuccessfulExecution {
  scheduleTime: string;
  executionTime: string;
  appliedReplicas?: number;
  appliedMinReplicas?: number;
  appliedMaxReplicas?: number;
}

interface FailedExecution {
  scheduleTime: string;
  executionTime: string;
  message: string;
}

export interface ExecutionHistory {
  ruleName: string;
  nextExecutionTime?: string;
  successfulExecutions?: SuccessfulExecution[];
  failedExecutions?: FailedExecution[];
}

const defaultHistoryLimit = 3;

export const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** the first run strictly after `afterMs` (ms since the epoch); throws on a bad schedule or zone */
export function nextRun(rule: Pick<CronRule, 'schedule' | 'timeZone'>, afterMs: number): number {
  const it = cronParser.parseExpression(rule.schedule, { currentDate: new Date(afterMs), ...(rule.timeZone ? { tz: rule.timeZone } : {}) });
  return it.next().getTime();
}

/** prepends an execution and keeps at most `limit` (newest first) */
export function pushLimited<T>(list: T[] | undefined, item: T, limit: number | undefined): T[] {
  return [item, ...(list ?? [])].slice(0, Math.max(0, limit ?? defaultHistoryLimit));
}

/** the histories of the rules that still exist, in rule order, each with the given next run */
export function reconcileHistories(rules: CronRule[], old: ExecutionHistory[] | undefined, next: Map<string, number | undefined>): ExecutionHistory[] {
  return rules.map((r) => {
    const h = old?.find((x) => x.ruleName === r.name) ?? { ruleName: r.name };
    const n = next.get(r.name);
    const { nextExecutionTime: _drop, ...rest } = h;
    return n === undefined ? rest : { ...rest, nextExecutionTime: rfc3339(n) };
  });
}
