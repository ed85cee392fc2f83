import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containerLog, formatLine, parseLogOptions, resolveContainer, selectLines, type LogOptions } from './logs.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const pod = (status: Record<string, unknown>, containers = [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }]) => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers },
  status,
});
const running = pod({ containerStatuses: [{ name: 'web', state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, restartCount: 0 }] });
const opts = (o: Partial<LogOptions> = {}): LogOptions => ({ follow: false, previous: false, timestamps: false, ...o });

describe('containerLog', () => {
  test('start-up lines, then one line per interval', () => {
    const lines = containerLog(running, running.spec.containers[0], { startedAt: t0 }, t0 + 2500, 1000);
    assert.deepEqual(lines.map((l) => l.text), ['starting container web (image nginx) in pod default/p', 'listening on TCP port 80', 'ready', 'heartbeat 1: web is running', 'heartbeat 2: web is running']);
    assert.equal(lines[4].at, t0 + 2000);
  });
  test('a finished container ends with its exit code', () => {
    const lines = containerLog(running, running.spec.containers[0], { startedAt: t0, finishedAt: t0 + 1500, exitCode: 137 }, t0 + 9000, 1000);
    assert.equal(lines.at(-1)!.text, 'exiting with code 137');
    assert.equal(lines.filter((l) => l.text.startsWith('heartbeat')).length, 1);
  });
});

describe('selectLines', () => {
  const lines = containerLog(running, running.spec.containers[0], { startedAt: t0 }, t0 + 10_000, 1000);
  const cases: { name: string; o: Partial<LogOptions>; want: number }[] = [
    { name: 'everything', o: {}, want: 13 },
    { name: 'tail 2', o: { tailLines: 2 }, want: 2 },
    { name: 'tail 0', o: { tailLines: 0 }, want: 0 },
    { name: 'since 3 s', o: { sinceSeconds: 3 }, want: 4 },
    { name: 'since a time', o: { sinceTime: t0 + 9000 }, want: 2 },
    { name: 'since and tail', o: { sinceSeconds: 5, tailLines: 1 }, want: 1 },
  ];
  for (const c of cases) test(c.name, () => assert.equal(selectLines(lines, opts(c.o), t0 + 10_000).length, c.want));
});

describe('resolveContainer', () => {
  test('the only container is the default', () => assert.equal(resolveContainer(running, opts()).container.name, 'web'));
  const two = pod({ containerStatuses: [] }, [{ name: 'a', image: 'x', ports: [] }, { name: 'b', image: 'y', ports: [] }]);
  const cases: { name: string; p: any; o: Partial<LogOptions>; message: string }[] = [
    { name: 'several containers and none named', p: two, o: {}, message: 'a container name must be specified for pod p, choose one of: [a b]' },
    { name: 'an unknown container', p: running, o: { container: 'nope' }, message: 'container nope is not valid for pod p' },
    { name: 'no previous run', p: running, o: { previous: true }, message: 'previous terminated container "web" in pod "p" not found' },
    { name: 'not started yet', p: pod({ containerStatuses: [{ name: 'web', state: { waiting: { reason: 'ContainerCreating' } } }] }), o: {}, message: 'container "web" in pod "p" is waiting to start: ContainerCreating' },
  ];
  for (const c of cases) {
    test(c.name, () => assert.throws(() => resolveContainer(c.p, opts(c.o)), (e: any) => e.status.code === 400 && e.status.message === c.message));
  }
  test('previous reads the last terminated run', () => {
    const restarted = pod({ containerStatuses: [{ name: 'web', state: { running: { startedAt: '2026-01-01T01:00:00Z' } }, lastState: { terminated: { startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:30:00Z', exitCode: 1 } }, restartCount: 1 }] });
    assert.deepEqual(resolveContainer(restarted, opts({ previous: true })).run, { startedAt: t0, finishedAt: t0 + 1_800_000, exitCode: 1 });
  });
});

describe('parseLogOptions', () => {
  test('reads kubectl logs flags', () => {
    assert.deepEqual(parseLogOptions(new URLSearchParams('container=web&follow=true&tailLines=5&timestamps=true')), { container: 'web', follow: true, previous: false, timestamps: true, tailLines: 5, sinceSeconds: undefined, sinceTime: undefined, limitBytes: undefined });
  });
  test('bad numbers and both since forms are refused', () => {
    assert.throws(() => parseLogOptions(new URLSearchParams('tailLines=-1')), (e: any) => e.status.code === 422 && /tailLines/.test(e.status.message));
    assert.throws(() => parseLogOptions(new URLSearchParams('sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z')), (e: any) => /at most one of sinceTime or sinceSeconds/.test(e.status.message));
  });
  test('timestamps are RFC 3339 with nanoseconds', () => assert.equal(formatLine({ at: t0, text: 'x' }, true), '2026-01-01T00:00:00.000000000Z x\n'));
});
