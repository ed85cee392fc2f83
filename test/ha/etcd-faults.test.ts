// needs: etcd (scripts/run-tests.mjs skips this file loudly where etcd is not installed, and fails under CI)
// The API server on a 3-member etcd cluster while members die, driven over HTTPS: one member down is
// invisible to clients; without quorum every request answers promptly with a 5xx Status and /readyz
// says 500; when members return the same server recovers by itself; no acknowledged write is lost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer } from '../../src/apiserver/server.js';
import { startEtcd, type EtcdCluster } from '../../src/storage/etcd/testing.js';
import { configMap, KubeHttp, type KubeResponse } from '../../bench/support/kube-https.js';
import { eventually } from '../support/kubectl.js';

/** "promptly": the store's call deadline is 4 s; a failing request must answer well before a client gives up */
const promptMs = 6000;
const cmPath = '/api/v1/namespaces/default/configmaps';

let etcd: EtcdCluster | undefined;
let server: ApiServer | undefined;
let http: KubeHttp | undefined;
let dataDir = '';
/** what each verb answered while quorum was lost (filled by the first test) */
const withoutQuorum: Array<{ what: string; status: number; reason: string }> = [];

before(async () => {
  etcd = await startEtcd({ members: 3 });
  dataDir = mkdtempSync(join(tmpdir(), 'karmada-ts-etcd-faults-'));
  server = await ApiServer.start({ dataDir, port: 0, storage: { backend: 'etcd', endpoints: etcd.endpoints } });
  http = new KubeHttp({ url: server.url, caPem: server.caPem, certPem: server.adminCredentials.certPem, keyPem: server.adminCredentials.keyPem });
});

after(async () => {
  http?.close();
  await server?.stop().catch(() => {});
  await etcd?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** index of the member etcd currently has as leader (asked through the gRPC gateway's maintenance/status) */
async function leaderIndex(endpoints: string[]): Promise<number> {
  for (let i = 0; i < endpoints.length; i++) {
    const res = await fetch(`${endpoints[i]}/v3/maintenance/status`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (!res?.ok) continue;
    const status = (await res.json()) as { header?: { member_id?: string }; leader?: string };
    if (status.leader && status.header?.member_id === status.leader) return i;
  }
  throw new Error('no etcd member says it is the leader');
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

function assertUnavailableStatus(what: string, res: KubeResponse, ms: number): void {
  assert.ok(ms < promptMs, `${what} answered after ${ms}ms, expected within ${promptMs}ms`);
  assert.ok(res.status >= 500 && res.status < 600, `${what}: expected a 5xx, got ${res.status} ${res.text}`);
  assert.equal(res.body?.kind, 'Status', `${what}: ${res.text}`);
  assert.equal(res.body.status, 'Failure');
  assert.equal(res.body.code, res.status);
  assert.match(res.body.message, /storage|etcd|unavailable/i, `${what}: the message says what failed: ${res.body.message}`);
}

test('etcd member loss through the API server: writes continue, quorum loss fails fast with 5xx, recovery is automatic, nothing acknowledged is lost, a watch runs through it all', { timeout: 120_000 }, async (t) => {
  const c = etcd!;
  const api = http!;
  const acked = new Map<string, string>();
  let n = 0;
  const create = async (): Promise<KubeResponse> => {
    const name = `cm-${String(n++).padStart(4, '0')}`;
    const res = await api.post(cmPath, configMap(name, { n: String(n) }));
    if (res.status === 201) acked.set(name, res.body.metadata.resourceVersion);
    return res;
  };
  const readyz = () => api.get('/readyz', { timeoutMs: 10_000 });

  assert.equal((await readyz()).status, 200);
  const start = await api.get(cmPath);
  const seen = new Map<string, string>();
  const watchTypes: string[] = [];
  const watch = api.watch(`${cmPath}?watch=1&resourceVersion=${start.body.metadata.resourceVersion}`, (ev) => {
    watchTypes.push(ev.type);
    if (ev.type === 'ADDED' || ev.type === 'MODIFIED') seen.set(ev.object.metadata.name, ev.object.metadata.resourceVersion);
  });
  let watchEnded = false;
  void watch.closed.then(() => (watchEnded = true));
  t.after(() => watch.stop());
  assert.equal(await watch.ready, 200);
  for (let i = 0; i < 10; i++) assert.equal((await create()).status, 201);

  // the leader down: after a leader election, writes go on
  const leader = await leaderIndex(c.endpoints);
  await c.kill(leader);
  const other = [0, 1, 2].find((i) => i !== leader)!;
  const electedIn = await timed(() => eventually(async () => (await create()).status === 201, 'writes with the leader down', 10_000, 100));
  t.diagnostic(`killed leader m${leader}: writes accepted again after ${electedIn.ms}ms`);
  for (let i = 0; i < 20; i++) {
    const { value, ms } = await timed(create);
    assert.equal(value.status, 201, value.text);
    assert.ok(ms < 1000, `a write with one member down took ${ms}ms`);
  }
  const one = acked.keys().next().value!;
  const got = await api.get(`${cmPath}/${one}`);
  assert.equal(got.status, 200);
  const upd = await api.put(`${cmPath}/${one}`, { ...got.body, data: { n: 'updated' } });
  assert.equal(upd.status, 200, upd.text);
  acked.set(one, upd.body.metadata.resourceVersion);
  assert.equal((await readyz()).status, 200, 'ready with one member down');
  // the outage's update and delete go to an object of their own: a 5xx is ambiguous (etcd may still
  // commit a proposal it had taken), so nothing acknowledged may depend on them
  const spare = await api.post(cmPath, configMap('spare', { n: 'spare' }));
  assert.equal(spare.status, 201, spare.text);

  // quorum lost: creates, updates, reads, lists all answer within seconds with a 5xx Status
  await c.kill(other);
  const failing: Array<[string, () => Promise<KubeResponse>]> = [
    ['create', create],
    ['create', create],
    ['update', () => api.put(`${cmPath}/spare`, { ...spare.body, data: { n: 'changed' } })],
    ['get', () => api.get(`${cmPath}/${one}`)],
    ['list', () => api.get(cmPath)],
    ['list at a resourceVersion', () => api.get(`${cmPath}?resourceVersion=${upd.body.metadata.resourceVersion}`)],
    ['delete', () => api.request('DELETE', `${cmPath}/spare`)],
    ['watch', () => api.get(`${cmPath}?watch=1&resourceVersion=${upd.body.metadata.resourceVersion}`, { timeoutMs: promptMs + 2000 })],
    ['watch with initial list', () => api.get(`${cmPath}?watch=1`, { timeoutMs: promptMs + 2000 })],
  ];
  // all at once: none may hang behind another
  const results = await Promise.all(failing.map(async ([what, fn]) => ({ what, ...(await timed(fn)) })));
  withoutQuorum.push(...results.map((r) => ({ what: r.what, status: r.value.status, reason: r.value.body?.reason })));
  for (const r of results) assertUnavailableStatus(r.what, r.value, r.ms);
  t.diagnostic(`without quorum: ${results.map((r) => `${r.what} ${r.value.status} in ${r.ms}ms`).join(', ')}; e.g. ${JSON.stringify(results[0]!.value.body.message)}`);
  const notReady = await timed(readyz);
  assert.ok(notReady.ms < promptMs, `/readyz answered after ${notReady.ms}ms`);
  assert.equal(notReady.value.status, 500, notReady.value.text);
  assert.match(notReady.value.text, /etcd/);
  assert.equal((await api.get('/livez')).status, 200, 'still alive: only not ready');

  // members return: the same server recovers without a restart
  await c.restart(other);
  await c.restart(leader);
  const recoveredIn = await timed(() => eventually(async () => (await create()).status === 201, 'writes succeeding again', 30_000, 200));
  await eventually(async () => (await readyz()).status === 200, '/readyz 200 again', 15_000, 200);
  for (let i = 0; i < 10; i++) assert.equal((await create()).status, 201);
  t.diagnostic(`writes recovered ${recoveredIn.ms}ms after the members were back`);

  // every acknowledged write is there, at the resourceVersion it was acknowledged with
  const list = await api.get(cmPath);
  assert.equal(list.status, 200, list.text);
  const stored = new Map<string, string>(list.body.items.map((cm: { metadata: { name: string; resourceVersion: string } }) => [cm.metadata.name, cm.metadata.resourceVersion]));
  for (const [name, rv] of acked) assert.equal(stored.get(name), rv, `acknowledged ${name}@${rv}`);
  assert.equal((await api.get(`${cmPath}/${one}`)).body.data.n, 'updated');
  assert.ok(acked.size >= 41);

  // the watch opened before it all ran through the outage and saw every acknowledged write
  await eventually(() => [...acked].every(([name, rv]) => seen.get(name) === rv), `the watch to catch up (ended: ${watchEnded}, events: ${watchTypes.length})`, 15_000);
  assert.equal(watchEnded, false);
  assert.ok(!watchTypes.includes('ERROR'));
});

test('without quorum every verb, watch included, answers 503 ServiceUnavailable', () => {
  assert.ok(withoutQuorum.length > 0, 'the fault test ran first');
  for (const r of withoutQuorum) assert.deepEqual({ what: r.what, status: r.status, reason: r.reason }, { what: r.what, status: 503, reason: 'ServiceUnavailable' });
});
