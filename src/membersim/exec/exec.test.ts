import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containerEnv, mountedFiles, runCommand, type ExecEnv } from './commands.js';
import { acceptKey, chooseProtocol, encodeFrame, FrameReader } from './websocket.js';
import { exitStatus } from './index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const objects = {
  configMap: (n: string) => (n === 'cm' ? { metadata: { name: 'cm' }, data: { a: '1', b: '2' } } : undefined),
  secret: (n: string) => (n === 'sec' ? { metadata: { name: 'sec' }, data: { pw: b64('x') } } : undefined),
};
const pod = {
  metadata: { name: 'p', namespace: 'ns' },
  spec: {
    volumes: [{ name: 'c', configMap: { name: 'cm', items: [{ key: 'b', path: 'dir/b.txt' }] } }, { name: 's', secret: { secretName: 'sec' } }],
  },
};
const container = { name: 'main', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'a' } } }, { name: 'B', value: 'x-$(A)' }], volumeMounts: [{ name: 'c', mountPath: '/c' }, { name: 's', mountPath: '/s/pw', subPath: 'pw' }] };

describe('the simulated container', () => {
  const files = mountedFiles(pod, container, objects);
  const e: ExecEnv = { hostname: 'p', env: containerEnv(pod, container, objects), files, stdin: 'in' };
  test('mounted files honour items and subPath', () => assert.deepEqual([...files], [['/c/dir/b.txt', '2'], ['/s/pw', 'x']]));
  test('env resolves references and $(VAR)', () => assert.deepEqual(e.env.filter(([k]) => k === 'A' || k === 'B'), [['A', '1'], ['B', 'x-1']]));
  const cases: { argv: string[]; stdout?: string; stderr?: RegExp; exitCode: number }[] = [
    { argv: ['ls', '/c'], stdout: 'dir\n', exitCode: 0 },
    { argv: ['ls', '/c/dir/'], stdout: 'b.txt\n', exitCode: 0 },
    { argv: ['ls', '/nope'], stderr: /cannot access '\/nope'/, exitCode: 2 },
    { argv: ['cat', '/s/pw'], stdout: 'x', exitCode: 0 },
    { argv: ['cat', '/c'], stderr: /Is a directory/, exitCode: 1 },
    { argv: ['cat'], stdout: 'in', exitCode: 0 },
    { argv: ['echo', '-n', 'a', 'b'], stdout: 'a b', exitCode: 0 },
    { argv: ['printenv', 'A'], stdout: '1\n', exitCode: 0 },
    { argv: ['sh', '-c', 'hostname'], stdout: 'p\n', exitCode: 0 },
    { argv: ['false'], stdout: '', exitCode: 1 },
    { argv: ['vim'], stdout: '', exitCode: 127 },
  ];
  for (const c of cases) {
    test(c.argv.join(' '), () => {
      const r = runCommand(c.argv, e);
      assert.equal(r.exitCode, c.exitCode);
      if (c.stdout !== undefined) assert.equal(r.stdout, c.stdout);
      if (c.stderr) assert.match(r.stderr, c.stderr);
    });
  }
  test('the final Status carries the exit code as kubelet reports it', () => {
    assert.deepEqual(exitStatus(['true'], { stdout: '', stderr: '', exitCode: 0 }), { metadata: {}, status: 'Success' });
    assert.deepEqual(exitStatus(['false'], { stdout: '', stderr: '', exitCode: 1 }).details, { causes: [{ reason: 'ExitCode', message: '1' }] });
  });
});

describe('websocket', () => {
  test('the RFC 6455 accept key', () => assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='));
  test('subprotocol: v5 preferred, v4 accepted, others refused', () => {
    assert.equal(chooseProtocol('v5.channel.k8s.io, v4.channel.k8s.io'), 'v5.channel.k8s.io');
    assert.equal(chooseProtocol('v4.channel.k8s.io'), 'v4.channel.k8s.io');
    assert.equal(chooseProtocol('channel.k8s.io'), undefined);
  });
  test('masked client frames split across chunks, and long frames', () => {
    const mask = Buffer.from([1, 2, 3, 4]);
    const payload = Buffer.from('\u0000hello');
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]));
    const frame = Buffer.concat([Buffer.from([0x82, 0x80 | payload.length]), mask, masked]);
    const r = new FrameReader();
    assert.deepEqual(r.push(frame.subarray(0, 3)), []);
    const [f] = r.push(frame.subarray(3));
    assert.equal(f.opcode, 2);
    assert.equal(f.payload.toString(), '\u0000hello');
    const big = Buffer.alloc(70_000, 7);
    const [g] = new FrameReader().push(encodeFrame(2, big));
    assert.equal(g.payload.length, 70_000);
  });
});
