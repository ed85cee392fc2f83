// Leader election against a real API server: one leader at a time, a partitioned leader stops
// before anyone else can start, release on stop, and a SIGKILLed leader's lease is taken over.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { KubeClient } from '../../src/runtime/client.js';
import { runLeaderElection, type Lease, type LeaseClient, type LeaderElectionHandle } from '../../src/runtime/leaderelection.js';
import { leaseGVR } from '../../src/apis/builtin/gvr.js';

const timings = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 };
const microTimeFormat = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** a lease client that can be cut off: while partitioned, requests hang until their timeout aborts them */
function partitionable(client: KubeClient): { client: LeaseClient; partition(on: boolean): void } {
  let partitioned = false;
  const hang = (signal?: AbortSignal) =>
    new Promise<never>((_, reject) => {
      const fail = () => reject(new Error('network unreachable (partitioned)'));
      if (signal?.aborted) fail();
      signal?.addEventListener('abort', fail, { once: true });
    });
  const lc: LeaseClient = {
    get: ((ref, name, opts) => (partitioned ? hang(opts?.signal) : client.get(ref, name, opts))) as LeaseClient['get'],
    create: ((obj, opts) => (partitioned ? hang(opts?.signal) : client.create(obj, opts))) as LeaseClient['create'],
    replace: ((obj, opts) => (partitioned ? hang(opts?.signal) : client.replace(obj, opts))) as LeaseClient['replace'],
  };
  return { client: lc, partition: (on) => void (partitioned = on) };
}

interface Interval {
  id: string;
  start: number;
  end?: number;
}

/** a candidate that records when it led (from onStartedLeading to the abort of its signal) */
function candidate(client: LeaseClient, id: string, name: string, intervals: Interval[]): LeaderElectionHandle {
  return runLeaderElection({
    client,
    namespace: 'default',
    name,
    identity: id,
    ...timings,
    onStartedLeading(signal) {
      const iv: Interval = { id, start: performance.now() };
      intervals.push(iv);
      signal.addEventListener('abort', () => (iv.end = performance.now()), { once: true });
    },
    onStoppedLeading() {},
  });
}

function assertNoOverlap(intervals: Interval[]): void {
  for (const a of intervals) {
    for (const b of intervals) {
      if (a === b) continue;
      const aEnd = a.end ?? Infinity;
      const bEnd = b.end ?? Infinity;
      assert.ok(aEnd <= b.start || bEnd <= a.start, `${a.id} [${a.start}, ${aEnd}] overlaps ${b.id} [${b.start}, ${bEnd}]`);
    }
  }
}

describe('leader election over Leases', () => {
  let ts: TestServer;
  let client: KubeClient;
  let kubeconfigText: string;

  before(async () => {
    ts = await startTestServer();
    kubeconfigText = ts.server.adminKubeconfig();
    client = KubeClient.fromKubeconfig(kubeconfigText);
  });

  after(async () => {
    await ts.stop();
  });

  const getLease = (name: string) => client.get<Lease>(leaseGVR, name, { namespace: 'default' });

  test('two candidates: exactly one leads, and the Lease says so in client-go form', async () => {
    const intervals: Interval[] = [];
    const a = candidate(KubeClient.fromKubeconfig(kubeconfigText), 'a', 'one-leader', intervals);
    const b = candidate(KubeClient.fromKubeconfig(kubeconfigText), 'b', 'one-leader', intervals);
    try {
      await waitFor('a leader', () => a.isLeader() || b.isLeader());
      // watch over several renewal rounds
      for (let i = 0; i < 15; i++) {
        assert.notEqual(a.isLeader(), b.isLeader(), 'exactly one leader');
        await sleep(100);
      }
      assert.equal(intervals.length, 1);
      const leader = a.isLeader() ? a : b;
      const lease = await getLease('one-leader');
      assert.equal(lease.spec?.holderIdentity, leader.identity);
      assert.equal(lease.spec?.leaseDurationSeconds, 3);
      assert.equal(lease.spec?.leaseTransitions, 0);
      assert.match(lease.spec?.acquireTime ?? '', microTimeFormat);
      assert.match(lease.spec?.renewTime ?? '', microTimeFormat);
      assert.ok(lease.spec!.renewTime! > lease.spec!.acquireTime!, 'renewed since acquired');
      assert.equal(a.leader(), leader.identity);
      assert.equal(b.leader(), leader.identity);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  test('a partitioned leader aborts its work before the other candidate takes over', async () => {
    const intervals: Interval[] = [];
    const pa = partitionable(KubeClient.fromKubeconfig(kubeconfigText));
    const pb = partitionable(KubeClient.fromKubeconfig(kubeconfigText));
    const a = candidate(pa.client, 'a', 'partition', intervals);
    await waitFor('a to lead', () => a.isLeader());
    const b = candidate(pb.client, 'b', 'partition', intervals);
    try {
      await sleep(1000); // b has seen a renew
      const cutAt = performance.now();
      pa.partition(true);
      await waitFor('b to take over', () => b.isLeader());
      assert.equal(a.isLeader(), false);
      assert.equal(intervals.length, 2);
      const [first, second] = intervals;
      assert.equal(first!.id, 'a');
      assert.equal(second!.id, 'b');
      assertNoOverlap(intervals);
      // a stopped within renewDeadline of its last successful renewal (before the cut)
      assert.ok(first!.end! - cutAt <= timings.renewDeadlineMs + 100, `a stopped ${first!.end! - cutAt}ms after the cut`);
      // and b waited for the lease to expire on its own clock
      assert.ok(second!.start - cutAt >= timings.leaseDurationMs - timings.retryPeriodMs * 2.2 - 100, `b took over ${second!.start - cutAt}ms after the cut`);
      const lease = await getLease('partition');
      assert.equal(lease.spec?.holderIdentity, 'b');
      assert.equal(lease.spec?.leaseTransitions, 1, 'a takeover counts as a transition');
      await a.done; // a lost leadership: it does not run again
      pa.partition(false);
      // with the network back, b renews again: a has had its chance and still does not lead
      const renewed = (await getLease('partition')).spec?.renewTime;
      await waitFor('b to renew with the network back', async () => (await getLease('partition')).spec?.renewTime !== renewed);
      assert.equal(a.isLeader(), false);
      assertNoOverlap(intervals);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  test('a leader whose Lease was taken from under it stops at its next renewal', async () => {
    const intervals: Interval[] = [];
    const a = candidate(KubeClient.fromKubeconfig(kubeconfigText), 'a', 'stolen', intervals);
    try {
      await waitFor('a to lead', () => a.isLeader());
      const lease = await getLease('stolen');
      await client.replace({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder' } });
      await waitFor('a to step down', () => !a.isLeader(), timings.retryPeriodMs * 3);
      assert.ok(intervals[0]!.end !== undefined, 'its work was aborted');
      assert.equal((await getLease('stolen')).spec?.holderIdentity, 'intruder', 'it did not write over the new holder');
    } finally {
      await a.stop();
    }
  });

  test('stop() releases the Lease (empty holder, 1s) so the other candidate takes over at once', async () => {
    const intervals: Interval[] = [];
    const a = candidate(KubeClient.fromKubeconfig(kubeconfigText), 'a', 'release', intervals);
    await waitFor('a to lead', () => a.isLeader());
    const b = candidate(KubeClient.fromKubeconfig(kubeconfigText), 'b', 'release', intervals);
    try {
      await sleep(300);
      let stoppedCalls = 0;
      const released = await (async () => {
        await a.stop();
        stoppedCalls++;
        return getLease('release');
      })();
      const stoppedAt = performance.now();
      if (released.spec?.holderIdentity !== 'b') {
        assert.equal(released.spec?.holderIdentity, '');
        assert.equal(released.spec?.leaseDurationSeconds, 1);
      }
      await waitFor('b to lead', () => b.isLeader());
      assert.ok(performance.now() - stoppedAt < timings.leaseDurationMs - 500, 'b did not wait for the lease to expire');
      assert.equal(stoppedCalls, 1);
      assertNoOverlap(intervals);
      assert.equal((await getLease('release')).spec?.leaseTransitions, 1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  test('kill -9 of the leader process: the other process takes over after the lease expires', async () => {
    const kubeconfig = join(ts.dataDir, 'elector.kubeconfig');
    writeFileSync(kubeconfig, kubeconfigText, { mode: 0o600 });
    const childPath = fileURLToPath(new URL('./elector-child.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
    const events: { line: string; at: number }[] = [];
    const children = new Map<string, ChildProcess>();
    const exited = new Map<string, Promise<void>>();
    for (const id of ['p1', 'p2']) {
      const child = spawn(process.execPath, ['--import', 'tsx', childPath, kubeconfig, id, ...Object.values(timings).map(String)], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.set(id, child);
      exited.set(id, new Promise((r) => child.once('exit', () => r())));
      createInterface(child.stdout!).on('line', (line) => events.push({ line, at: performance.now() }));
    }
    try {
      await waitFor('a leader process', () => events.some((e) => e.line.startsWith('leading ')), 30_000);
      const leaderId = events.find((e) => e.line.startsWith('leading '))!.line.split(' ')[1]!;
      const otherId = leaderId === 'p1' ? 'p2' : 'p1';
      await waitFor('the other process to be up', () => events.some((e) => e.line === `ready ${otherId}`), 30_000);
      await sleep(1000); // the follower has observed a few renewals
      const killedAt = performance.now();
      children.get(leaderId)!.kill('SIGKILL');
      await exited.get(leaderId);
      await waitFor('the takeover', () => events.some((e) => e.line === `leading ${otherId}`), 15_000);
      const tookOver = events.find((e) => e.line === `leading ${otherId}`)!.at - killedAt;
      // the follower counts leaseDuration from the last renewal it saw (up to one jittered retry
      // period, 2.2x, before the kill) and notices expiry at its next jittered retry
      const jitteredRetry = timings.retryPeriodMs * 2.2;
      assert.ok(tookOver >= timings.leaseDurationMs - jitteredRetry - 200, `took over too early: ${tookOver}ms`);
      assert.ok(tookOver <= timings.leaseDurationMs + 2 * jitteredRetry + 500, `took over too late: ${tookOver}ms`);
      const lease = await getLease('elector-test');
      assert.equal(lease.spec?.holderIdentity, otherId);
      assert.equal(lease.spec?.leaseTransitions, 1);
    } finally {
      for (const [id, child] of children) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited.get(id);
      }
    }
  });
});
