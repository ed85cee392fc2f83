// Real etcd clusters on loopback, ports picked at run time: for tests (temp data dirs) and for the
// playground's `--storage etcd` (a kept data dir).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtcdCluster {
  /** client URLs of all members, e.g. http://127.0.0.1:34567 */
  endpoints: string[];
  /** the data and log directory of all members */
  dir: string;
  /** SIGKILL member i and wait until it is gone */
  kill(i: number): Promise<void>;
  /** start member i again on its data dir and ports; resolves once it answers on its client port */
  restart(i: number): Promise<void>;
  /** resolves once member i reports itself healthy (it sees a leader) */
  waitHealthy(i: number, timeoutMs?: number): Promise<void>;
  /** kill all members and remove their directories */
  stop(): Promise<void>;
}

export interface StartEtcdOptions {
  members?: number;
  /** keep the members' data here (not removed by stop()); default: a temp dir that stop() removes */
  dir?: string;
}

export const missingEtcdMessage = 'the etcd binary is not on PATH: install it with `apt-get update && apt-get install -y etcd-server` (CI installs it)';

export function etcdBinaryAvailable(): boolean {
  const res = spawnSync('etcd', ['--version'], { stdio: 'ignore' });
  return !res.error && res.status === 0;
}

let skipAnnounced = false;

/**
 * For a test's `skip` option: false when etcd is on PATH; otherwise the reason, announced once per
 * process in one loud line, so the rest of the suite runs on a machine without etcd. Under CI (CI=true)
 * a missing etcd throws instead: there the etcd suites must run.
 */
export function skipWithoutEtcd(): string | false {
  if (etcdBinaryAvailable()) return false;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI is set, so the etcd suites must run, but ${missingEtcdMessage}`);
  if (!skipAnnounced) console.error(`\n*** SKIPPING the etcd suites: ${missingEtcdMessage} ***\n`);
  skipAnnounced = true;
  return `skipped: ${missingEtcdMessage}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** GET path on a member's client port: the status code, or undefined when it does not answer */
function httpGet(port: number, path: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
}

export async function startEtcd(opts: StartEtcdOptions = {}): Promise<EtcdCluster> {
  if (!etcdBinaryAvailable()) throw new Error(missingEtcdMessage);
  const n = opts.members ?? 1;
  const keep = !!opts.dir;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'karmada-ts-etcd-'));
  if (keep) mkdirSync(dir, { recursive: true });
  const members: Array<{ name: string; client: number; peer: number }> = [];
  for (let i = 0; i < n; i++) members.push({ name: `m${i}`, client: await freePort(), peer: await freePort() });
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peer}`).join(',');
  const token = `karmada-ts-${process.pid}-${Date.now().toString(36)}`;
  const procs: Array<ChildProcess | undefined> = [];

  const launch = (i: number) => {
    const m = members[i]!;
    const args = [
      `--name=${m.name}`,
      `--data-dir=${join(dir, m.name)}`,
      `--listen-client-urls=http://127.0.0.1:${m.client}`,
      `--advertise-client-urls=http://127.0.0.1:${m.client}`,
      `--listen-peer-urls=http://127.0.0.1:${m.peer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${m.peer}`,
      `--initial-cluster=${initialCluster}`,
      '--initial-cluster-state=new',
      `--initial-cluster-token=${token}`,
      '--heartbeat-interval=50',
      '--election-timeout=500',
      '--enable-v2=false',
    ];
    const log = createWriteStream(join(dir, `${m.name}.log`), { flags: 'a' });
    const child = spawn('etcd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    procs[i] = child;
  };

  const kill = async (i: number) => {
    const child = procs[i];
    procs[i] = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };

  const waitHealthy = (i: number, timeoutMs = 20_000) =>
    waitFor(`etcd member ${i} to be healthy (logs in ${dir})`, async () => {
      const res = await httpGet(members[i]!.client, '/health');
      return res?.status === 200 && res.body.includes('"true"');
    }, timeoutMs);

  const cluster: EtcdCluster = {
    endpoints: members.map((m) => `http://127.0.0.1:${m.client}`),
    dir,
    kill,
    async restart(i) {
      await kill(i);
      launch(i);
      await waitFor(`etcd member ${i} to listen (logs in ${dir})`, async () => (await httpGet(members[i]!.client, '/version')) !== undefined, 20_000);
    },
    waitHealthy,
    async stop() {
      await Promise.all(members.map((_, i) => kill(i)));
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    for (let i = 0; i < n; i++) launch(i);
    await Promise.all(members.map((_, i) => waitHealthy(i)));
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
