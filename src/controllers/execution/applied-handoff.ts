// A Work's Applied condition handed from the execution controller to the work status controller, so
// that the first Applied and the member object's status reach the Work in one status write (Karmada's
// execution controller writes Applied and its work status controller each reflection separately).
// Bounded: the work status controller writes the conditions with whatever the member shows by the
// deadline, and should it not, the execution controller writes them alone a moment later. Held in
// memory only: a controller manager that restarts applies its Works again and hands them over anew.
import type { Manager } from '../../runtime/controller.js';
import type { Work } from '../../apis/karmada/work.js';

/** how long after a Work is applied its Applied condition may wait for the member object's status */
export const appliedHoldMs = 2000;
/**
 * past the hold, how long the execution controller leaves the work status controller (its queue may be
 * long) before writing the conditions alone: a safety net for a Work whose status cannot be reflected
 */
export const appliedFallbackMs = 10_000;

export interface AppliedConditions {
  /** sets the conditions on a copy of the Work about to be written; false when they already hold */
  apply(work: Work): boolean;
  /** after the write that carried them (events that announce them) */
  written(): void;
}

interface Entry {
  conditions: AppliedConditions;
  /** the hold is over: write with the member's status as it is */
  due: boolean;
  /** the work status controller did not write in time: the execution controller writes alone */
  expired: boolean;
  timers: NodeJS.Timeout[];
}

export interface HandoffTimings {
  holdMs?: number;
  fallbackMs?: number;
}

export class AppliedHandoff {
  private readonly pending = new Map<string, Entry>();
  private reflect?: (key: string) => void;
  private readonly holdMs: number;
  private readonly fallbackMs: number;

  constructor(timings: HandoffTimings = {}) {
    this.holdMs = timings.holdMs ?? appliedHoldMs;
    this.fallbackMs = timings.fallbackMs ?? appliedFallbackMs;
  }

  /** an execution controller runs beside: a Work it has not applied yet gets its Applied from here */
  applying = false;

  /** the work status controller takes over Applied conditions; `reflect` brings a Work to it */
  consume(reflect: (key: string) => void): void {
    this.reflect = reflect;
  }

  /** brings a Work to the work status controller (its conditions were written without a handoff) */
  nudge(key: string): void {
    this.reflect?.(key);
  }

  /**
   * Hands a Work's conditions over. False when there is no one to hand them to, or an earlier handoff
   * of this Work expired: the caller writes them itself. `fallback` gives the conditions back to the
   * caller once the handoff expires.
   */
  offer(key: string, conditions: AppliedConditions, fallback: (key: string, conditions: AppliedConditions) => void): boolean {
    const reflect = this.reflect;
    const held = this.pending.get(key);
    if (!reflect || held?.expired) {
      this.cancel(key);
      return false;
    }
    if (held) {
      // applied again within the hold (a spec change): the newest conditions, the first deadline
      held.conditions = conditions;
      reflect(key);
      return true;
    }
    const entry: Entry = { conditions, due: false, expired: false, timers: [] };
    const at = (ms: number, fn: () => void) => {
      const t = setTimeout(fn, ms);
      t.unref();
      entry.timers.push(t);
    };
    at(this.holdMs, () => {
      entry.due = true;
      reflect(key);
    });
    at(this.holdMs + this.fallbackMs, () => {
      entry.expired = true;
      fallback(key, entry.conditions);
    });
    this.pending.set(key, entry);
    reflect(key);
    return true;
  }

  /** the conditions waiting for a Work's next status write, and whether their hold is over */
  peek(key: string): { conditions: AppliedConditions; due: boolean } | undefined {
    const e = this.pending.get(key);
    return e && !e.expired ? { conditions: e.conditions, due: e.due } : undefined;
  }

  /** the conditions `taken` (from peek) were written, or already held: the handoff is done */
  settle(key: string, taken: AppliedConditions): void {
    if (this.pending.get(key)?.conditions === taken) this.cancel(key);
  }

  /** forgets a Work's handoff (written by the caller, failed, suspended or deleted) */
  cancel(key: string): void {
    const e = this.pending.get(key);
    if (!e) return;
    for (const t of e.timers) clearTimeout(t);
    this.pending.delete(key);
  }

  get size(): number {
    return this.pending.size;
  }
}

const perManager = new WeakMap<Manager, AppliedHandoff>();

/** the one AppliedHandoff of a controller manager (execution and work status controllers) */
export function appliedHandoff(manager: Manager, timings?: HandoffTimings): AppliedHandoff {
  let h = perManager.get(manager);
  if (!h) perManager.set(manager, (h = new AppliedHandoff(timings)));
  return h;
}
