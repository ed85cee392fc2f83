// Leader election over coordination.k8s.io/v1 Leases, as client-go's leaderelection package does it
// (tryAcquireOrRenew, LeaseLock), so karmada-ts components and Go components can share a Lease:
//  - a leader renews with PUT of its cached Lease (resourceVersion: 409 means someone else won);
//  - otherwise GET; 404 -> POST; another holder whose lease has not expired -> wait. Expiry is judged
//    on the LOCAL clock from when this candidate last saw the record change, never from the
//    timestamps inside it (clocks of different machines disagree);
//  - taking over from another holder increments leaseTransitions;
//  - release on stop: PUT with an empty holder and leaseDurationSeconds 1.
// Safety: a leader that has not renewed for renewDeadline aborts its work. The deadline is counted
// from the moment its last successful renewal was SENT, so it fires before anyone else can see the
// lease expire (that needs leaseDuration > renewDeadline, which is enforced).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { isNotFound } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { leaseGVR } from '../apis/builtin/gvr.js';
import type { KubeClient } from './client.js';


export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
  [extra: string]: unknown;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** what the elector needs from a client (tests substitute a failing one to simulate a partition) */
export type LeaseClient = Pick<KubeClient, 'get' | 'create' | 'replace'>;

interface LeaderElectionOptions {
  client: LeaseClient;
  namespace: string;
  name: string;
  /** default `<hostname>_<uuid>`, as Karmada's components */
  identity?: string;
  /** how long others wait after the last renewal they saw before taking over (default 15s) */
  leaseDurationMs?: number;
  /** how long a leader keeps trying to renew before it gives up leading (default 10s) */
  renewDeadlineMs?: number;
  /** wait between attempts (default 2s) */
  retryPeriodMs?: number;
  /** release the lease on stop() so others can take over at once (default true) */
  releaseOnCancel?: boolean;
  /** runs the leader's work; the signal aborts when leadership ends. stop() awaits the returned promise before releasing. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** called once when leadership ends (lost or stopped); not called if this candidate never led */
  onStoppedLeading(): void;
  /** the holder changed (including to this candidate) */
  onNewLeader?(identity: string): void;
  /** errors from the API (for logs) */
  onError?(err: unknown): void;
}

export interface LeaderElectionHandle {
  readonly identity: string;
  isLeader(): boolean;
  /** the holder last observed */
  leader(): string | undefined;
  /** resolves when this candidate is done: stopped, or leadership lost (it does not run for election again) */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const JITTER_FACTOR = 1.2;

interface Timings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** client-go's checks, plus a whole number of seconds for the Lease */
export function validateTimings(t: Timings): void {
  if (!(t.leaseDurationMs > 0 && t.renewDeadlineMs > 0 && t.retryPeriodMs > 0)) throw new Error('leader election timings must be positive');
  if (t.leaseDurationMs <= t.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
  if (t.renewDeadlineMs <= JITTER_FACTOR * t.retryPeriodMs) throw new Error(`renewDeadline must be greater than retryPeriod*${JITTER_FACTOR}`);
}

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits, UTC */
export function microTime(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const micros = Math.floor((epochMs - wholeMs) * 1000);
  const iso = new Date(wholeMs).toISOString(); // 2006-01-02T15:04:05.000Z
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/** the spec a candidate writes; acquireTime and transitions are carried over by the caller's rules */
export function nextSpec(old: LeaseSpec | undefined, identity: string, leaseDurationSeconds: number, wasLeader: boolean, now: string): LeaseSpec {
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: wasLeader && old?.acquireTime ? old.acquireTime : now,
    renewTime: now,
    leaseTransitions: wasLeader ? old?.leaseTransitions ?? 0 : (old?.leaseTransitions ?? -1) + 1,
  };
}

class Elector implements LeaderElectionHandle {
  readonly identity: string;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly t: Timings;
  private readonly leaseSeconds: number;
  private lease?: Lease; // cached, with its resourceVersion
  private observedRaw = '';
  private observedSpec?: LeaseSpec;
  private observedAt = 0; // monotonic ms
  private reportedLeader?: string;
  private leading = false;
  private stopped = false;
  private work?: AbortController;
  private workDone?: Promise<void>;
  private deadline?: NodeJS.Timeout;
  private sleeper?: { timer: NodeJS.Timeout; wake: () => void };
  private inflight = new Set<AbortController>();

  constructor(private readonly o: LeaderElectionOptions) {
    this.identity = o.identity ?? defaultIdentity();
    this.t = { leaseDurationMs: o.leaseDurationMs ?? 15_000, renewDeadlineMs: o.renewDeadlineMs ?? 10_000, retryPeriodMs: o.retryPeriodMs ?? 2_000 };
    validateTimings(this.t);
    this.leaseSeconds = Math.ceil(this.t.leaseDurationMs / 1000);
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  isLeader(): boolean {
    return this.leading;
  }

  leader(): string | undefined {
    return this.observedSpec?.holderIdentity || undefined;
  }

  private runPromise: Promise<void> = Promise.resolve();

  start(): void {
    this.runPromise = this.run();
  }

  private async run(): Promise<void> {
    // acquire
    while (!this.stopped) {
      const sentAt = performance.now();
      if (await this.tryAcquireOrRenew(this.t.renewDeadlineMs)) {
        if (this.stopped) {
          // won just as we were told to stop: hand it back
          this.lastRenewSentAt = sentAt;
          await this.release();
          return;
        }
        this.becomeLeader(sentAt);
        break;
      }
      await this.sleep(this.t.retryPeriodMs * (1 + Math.random() * JITTER_FACTOR));
    }
    // renew
    while (!this.stopped && this.leading) {
      await this.sleep(this.t.retryPeriodMs);
      if (this.stopped || !this.leading) break;
      const sentAt = performance.now();
      const ok = await this.tryAcquireOrRenew(this.lastRenewSentAt + this.t.renewDeadlineMs - sentAt);
      if (!this.leading) break;
      if (ok) this.armDeadline(sentAt);
      else if (this.observedSpec?.holderIdentity !== this.identity) this.loseLeadership(); // someone else holds it
    }
    if (!this.stopped) this.resolveDone();
  }

  private lastRenewSentAt = 0;

  private becomeLeader(sentAt: number): void {
    this.leading = true;
    this.armDeadline(sentAt);
    this.work = new AbortController();
    const signal = this.work.signal;
    this.workDone = Promise.resolve()
      .then(() => this.o.onStartedLeading(signal))
      .catch((err) => this.o.onError?.(err));
  }

  private armDeadline(sentAt: number): void {
    this.lastRenewSentAt = sentAt;
    if (this.deadline) clearTimeout(this.deadline);
    const left = sentAt + this.t.renewDeadlineMs - performance.now();
    this.deadline = setTimeout(() => this.loseLeadership(), Math.max(0, left));
  }

  /** stop leading at once: abort work, cancel requests, tell the user */
  private loseLeadership(): void {
    if (!this.leading) return;
    this.leading = false;
    if (this.deadline) clearTimeout(this.deadline);
    this.work?.abort();
    for (const c of this.inflight) c.abort();
    this.wake();
    this.o.onStoppedLeading();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeper = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeper = { timer, wake };
    });
  }

  private wake(): void {
    this.sleeper?.wake();
  }

  private observe(lease: Lease): void {
    const spec = lease.spec ?? {};
    const raw = JSON.stringify(spec);
    if (raw !== this.observedRaw) {
      this.observedRaw = raw;
      this.observedSpec = spec;
      this.observedAt = performance.now();
    }
    this.lease = lease;
    const holder = spec.holderIdentity;
    if (holder && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      this.o.onNewLeader?.(holder);
    }
  }

  /** observed holder is this candidate */
  private holdsObserved(): boolean {
    return this.observedSpec?.holderIdentity === this.identity;
  }

  private observedValid(now: number): boolean {
    return this.observedAt + (this.observedSpec?.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  private async call<T>(timeoutMs: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const c = new AbortController();
    this.inflight.add(c);
    const timer = setTimeout(() => c.abort(), Math.max(1, timeoutMs));
    try {
      return await fn(c.signal);
    } finally {
      clearTimeout(timer);
      this.inflight.delete(c);
    }
  }

  private async tryAcquireOrRenew(timeoutMs: number): Promise<boolean> {
    if (timeoutMs <= 0) return false;
    const ref = leaseGVR;
    const { namespace, name } = this.o;
    const now = microTime(wallClockMs());
    try {
      // 1. fast path: the leader updates its cached object
      if (this.holdsObserved() && this.observedValid(performance.now()) && this.lease) {
        const spec = nextSpec(this.observedSpec, this.identity, this.leaseSeconds, true, now);
        try {
          const updated = await this.call(timeoutMs, (signal) => this.o.client.replace<Lease>({ ...this.lease!, spec: { ...this.lease!.spec, ...spec } }, { signal }));
          this.observe(updated);
          return true;
        } catch (err) {
          this.o.onError?.(err);
          if (!this.leading) return false;
        }
      }
      // 2. read, or create
      let current: Lease;
      try {
        current = await this.call(timeoutMs, (signal) => this.o.client.get<Lease>(ref, name, { namespace, signal }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: nextSpec(undefined, this.identity, this.leaseSeconds, false, now) };
        this.observe(await this.call(timeoutMs, (signal) => this.o.client.create<Lease>(lease, { signal })));
        return true;
      }
      this.observe(current);
      const spec = current.spec ?? {};
      // 3. held by someone else and not expired (on our clock)
      if (spec.holderIdentity && spec.holderIdentity !== this.identity && this.observedValid(performance.now())) return false;
      // 4. take it (or renew via the slow path); the resourceVersion makes it a compare-and-swap
      const wasLeader = spec.holderIdentity === this.identity;
      const next = nextSpec(spec, this.identity, this.leaseSeconds, wasLeader, now);
      const updated = await this.call(timeoutMs, (signal) => this.o.client.replace<Lease>({ ...current, spec: { ...spec, ...next } }, { signal }));
      this.observe(updated);
      return true;
    } catch (err) {
      this.o.onError?.(err);
      return false;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return this.done;
    this.stopped = true;
    this.wake();
    // a candidate's pending attempt is abandoned; a leader's renewal in flight is let finish so the
    // release below carries the newest resourceVersion
    if (!this.leading) for (const c of this.inflight) c.abort();
    await this.runPromise;
    if (this.leading) {
      this.leading = false;
      if (this.deadline) clearTimeout(this.deadline);
      this.work?.abort();
      await this.workDone;
      if (this.o.releaseOnCancel ?? true) await this.release();
      this.o.onStoppedLeading();
    }
    this.resolveDone();
    return this.done;
  }

  private async release(): Promise<void> {
    if (!this.lease || !this.holdsObserved()) return;
    // only while our lease is still ours by our own clock: past the deadline another may hold it
    if (performance.now() - this.lastRenewSentAt >= this.t.renewDeadlineMs) return;
    const now = microTime(wallClockMs());
    const spec: LeaseSpec = {
      ...this.lease.spec,
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: this.observedSpec?.leaseTransitions ?? 0,
    };
    try {
      const updated = await this.call(this.t.renewDeadlineMs, (signal) => this.o.client.replace<Lease>({ ...this.lease!, spec }, { signal }));
      this.observe(updated);
    } catch (err) {
      this.o.onError?.(err);
    }
  }
}

/** Runs for leadership until stop() or until leadership is lost (then `done` resolves). */
export function runLeaderElection(opts: LeaderElectionOptions): LeaderElectionHandle {
  const e = new Elector(opts);
  e.start();
  return e;
}
