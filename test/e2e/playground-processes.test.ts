// `karmada-ts up` with one process per component: the controller manager SIGKILLed in the middle of
// a batch is restarted and the batch lands in every member once (nothing lost, nothing applied
// twice); Ctrl-C stops every component; a parent killed outright leaves no component behind; a Pull
// member's karmada-agent runs in its own process (not the API server's) and is restarted if it dies;
// `up --eviction-rate` reaches the controller manager process (at 1/s its taint manager evicts a
// second apart, at 0 all at once); a bad --eviction-rate is refused before anything starts.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsFromKubeconfig, KubeHttp } from '../../bench/support/kube-https.js';
import { startPlaygroundProcess } from '../support/playground-process.js';
import { eventually } from '../support/kubectl.js';
import { alive } from '../../src/agent/process.js';
import { runCli } from '../support/cli.js';

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function configFile(dir: string): string {
  const file = join(dir, 'members.yaml');
  writeFileSync(file, 'members:\n- name: m1\n  nodes: [{count: 1}]\n- name: m2\n  nodes: [{count: 1}]\n');
  return file;
}

/** a PropagationPolicy sending the ConfigMaps labelled `label=yes` to m1 and m2 */
const configMapPolicy = (name: string, label: string) => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name, namespace: 'default' },
  spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', labelSelector: { matchLabels: { [label]: 'yes' } } }], placement: { clusterAffinity: { clusterNames: ['m1', 'm2'] } } },
});

const LABEL = 'e2e.karmada-ts.io/batch';
const TOTAL = 100;

test('a controller manager killed mid-batch is restarted; every object reaches every member once; Ctrl-C stops every component', { timeout: 240_000 }, async () => {
  const root = tempDir('pg-proc-');
  const pg = await startPlaygroundProcess(join(root, 'data'), join(root, 'kube'), { args: ['--config', configFile(root), '--storage', 'memory'] });
  const karmada = new KubeHttp(credentialsFromKubeconfig(readFileSync(pg.karmadaConfig, 'utf8')), { maxSockets: 8 });
  const members = ['m1', 'm2'].map((m) => new KubeHttp(credentialsFromKubeconfig(readFileSync(pg.membersConfig, 'utf8'), m)));
  const streams: { stop(): void }[] = [];
  try {
    const components = await pg.components();
    assert.deepEqual(components.map((c) => c.name), ['karmada-apiserver', 'karmada-controller-manager', 'karmada-scheduler', 'members']);
    assert.equal(new Set(components.map((c) => c.pid)).size, 4, 'each component in its own process');
    const cm = components[1]!;

    // every event each member's watch delivers for the batch, by object name
    const events = members.map(() => new Map<string, string[]>());
    for (const [i, m] of members.entries()) {
      const s = m.watch(`/api/v1/namespaces/default/configmaps?watch=1&labelSelector=${encodeURIComponent(`${LABEL}=yes`)}`, (ev) => {
        const name = ev.object?.metadata?.name as string;
        events[i]!.set(name, [...(events[i]!.get(name) ?? []), ev.type]);
      });
      await s.ready;
      streams.push(s);
    }
    assert.equal((await karmada.post('/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies', configMapPolicy('batch', LABEL))).status, 201);
    const creates = Array.from({ length: TOTAL }, (_, i) =>
      karmada.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: { [LABEL]: 'yes' } }, data: { i: String(i) } }),
    );
    await eventually(() => events[0]!.size >= 5, 'the batch starts reaching m1', 60_000, 5);
    process.kill(cm.pid, 'SIGKILL');
    const inBothAtKill = [...events[0]!.keys()].filter((n) => events[1]!.has(n)).length;
    for (const r of await Promise.all(creates)) assert.equal(r.status, 201, r.text);
    assert.ok(inBothAtKill < TOTAL, `the kill came mid-batch (${inBothAtKill}/${TOTAL} were in both members)`);

    const restarted = await eventually(async () => (await pg.components()).find((c) => c.name === 'karmada-controller-manager' && c.restarts === 1 && c.pid !== cm.pid), 'the controller manager restarted', 60_000, 200);
    assert.ok(restarted && alive(restarted.pid));
    await eventually(() => events.every((e) => e.size === TOTAL), `all ${TOTAL} in both members`, 120_000, 100);
    // a quiet moment for late duplicates to show up in the watch, bounded by the Works being Applied
    await eventually(
      async () => {
        const works = (await karmada.get('/apis/work.karmada.io/v1alpha1/works')).body.items as { status?: { conditions?: { type: string; status: string }[] } }[];
        return works.length >= TOTAL * 2 && works.every((w) => w.status?.conditions?.some((c) => c.type === 'Applied' && c.status === 'True'));
      },
      'every Work Applied',
      60_000,
      200,
    );
    for (const [i, e] of events.entries()) {
      for (const [name, types] of e) assert.deepEqual(types, ['ADDED'], `m${i + 1}/${name}: created once, never rewritten or deleted`);
    }
    const works = (await karmada.get('/apis/work.karmada.io/v1alpha1/works')).body.items as { metadata: { namespace: string; name: string }; status?: { conditions?: { type: string; status: string }[]; manifestStatuses?: unknown[] } }[];
    assert.equal(works.filter((w) => w.metadata.namespace.startsWith('karmada-es-')).length, TOTAL * 2, 'one Work per object and member');
    // Dispatching and Applied go out in one status write: after the kill each Work has both, once
    for (const w of works) {
      const id = `${w.metadata.namespace}/${w.metadata.name}`;
      assert.deepEqual((w.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).sort(), ['Applied=True', 'Dispatching=True'], id);
      assert.equal(w.status?.manifestStatuses?.length, 1, `${id}: the member object's status reflected`);
    }

    // each component's /metrics carries Karmada's names and labels
    const scrape = async (name: string) => {
      const c = (await pg.components()).find((x) => x.name === name)!;
      return (await fetch(c.metricsUrl!)).text();
    };
    const cmMetrics = await scrape('karmada-controller-manager');
    for (const re of [
      /^create_resource_to_cluster\{(?=[^}]*result="success")(?=[^}]*kind="ConfigMap")(?=[^}]*member_cluster="m1")(?=[^}]*recreate="false")[^}]*\} [1-9]/m,
      /^work_sync_workload_duration_seconds_count\{result="success"\} [1-9]/m,
      /^binding_sync_work_duration_seconds_count\{result="success"\} [1-9]/m,
      /^resource_match_policy_duration_seconds_count [1-9]/m,
      /^policy_apply_attempts_total\{result="success"\} [1-9]/m,
      /^cluster_ready_state\{member_cluster="m2"\} 1$/m,
      /^cluster_sync_status_duration_seconds_count\{member_cluster="m1"\} [1-9]/m,
      /^workqueue_adds_total\{name="execution-controller",controller="execution-controller"\} [1-9]/m,
    ]) assert.match(cmMetrics, re);
    const schedulerMetrics = await scrape('karmada-scheduler');
    for (const re of [
      /^karmada_scheduler_schedule_attempts_total\{result="scheduled",scheduleType="ReconcileSchedule"\} [1-9]/m,
      /^karmada_scheduler_e2e_scheduling_duration_seconds_count\{result="scheduled",scheduleType="ReconcileSchedule"\} [1-9]/m,
      /^karmada_scheduler_queue_incoming_bindings_total\{event="BindingAdd"\} [1-9]/m,
      /^scheduler_pending_bindings\{queue="active"\} \d+$/m,
    ]) assert.match(schedulerMetrics, re);

    const pids = (await pg.components()).map((c) => c.pid);
    assert.equal(await pg.kill('SIGINT'), 0);
    assert.match(pg.output(), /stopping\.\.\./);
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone after Ctrl-C`);
  } finally {
    for (const s of streams) s.stop();
    karmada.close();
    for (const m of members) m.close();
    await pg.kill('SIGKILL');
  }
});

test('components do not outlive a playground killed outright', { timeout: 120_000 }, async () => {
  const root = tempDir('pg-proc-kill-');
  const pg = await startPlaygroundProcess(join(root, 'data'), join(root, 'kube'), { args: ['--config', configFile(root), '--storage', 'memory'] });
  const children = (await pg.components()).slice(1).map((c) => c.pid);
  assert.equal(children.length, 3);
  await pg.kill('SIGKILL');
  await eventually(() => children.every((pid) => !alive(pid)), 'every component gone with its parent', 15_000, 50);
});

test("a Pull member's karmada-agent runs in its own process, is restarted when killed and goes on delivering", { timeout: 180_000 }, async () => {
  const root = tempDir('pg-proc-pull-');
  const config = join(root, 'members.yaml');
  writeFileSync(config, 'members:\n- name: m1\n  nodes: [{count: 1}]\n- name: p1\n  syncMode: Pull\n  labels: {edge: "yes"}\n  nodes: [{count: 1}]\n');
  const pg = await startPlaygroundProcess(join(root, 'data'), join(root, 'kube'), { args: ['--config', config, '--storage', 'memory'] });
  const karmada = new KubeHttp(credentialsFromKubeconfig(readFileSync(pg.karmadaConfig, 'utf8')));
  const p1 = new KubeHttp(credentialsFromKubeconfig(readFileSync(pg.membersConfig, 'utf8'), 'p1'));
  try {
    const components = await pg.components();
    assert.deepEqual(components.map((c) => c.name), ['karmada-apiserver', 'karmada-controller-manager', 'karmada-scheduler', 'members', 'karmada-agent']);
    assert.equal(new Set(components.map((c) => c.pid)).size, 5, 'the agents apart from the API server and the members');
    const agent = components.at(-1)!;
    assert.ok(agent.rssBytes > 0 && agent.cpuUserMs > 0, 'its own RSS and CPU reported');
    const cluster = (await karmada.get('/apis/cluster.karmada.io/v1alpha1/clusters/p1')).body;
    assert.equal(cluster.spec.syncMode, 'Pull');
    assert.equal(cluster.metadata.labels.edge, 'yes', "the config's labels on the Cluster the agent registered");

    process.kill(agent.pid, 'SIGKILL');
    await eventually(async () => (await pg.components()).find((c) => c.name === 'karmada-agent' && c.restarts === 1 && c.pid !== agent.pid), 'the agent restarted', 60_000, 200);
    const policy = {
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'to-p1', namespace: 'default' },
      spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'after-restart' }], placement: { clusterAffinity: { clusterNames: ['p1'] } } },
    };
    assert.equal((await karmada.post('/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies', policy)).status, 201);
    assert.equal((await karmada.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' }, data: { k: 'v' } })).status, 201);
    await eventually(async () => (await p1.get('/api/v1/namespaces/default/configmaps/after-restart')).status === 200, 'the restarted agent applies the Work to p1', 60_000, 200);
    // its own /metrics, as the controller manager's: controller-runtime's reconcile and workqueue metrics of its controllers
    const restarted = (await pg.components()).find((c) => c.name === 'karmada-agent')!;
    assert.ok(restarted.metricsUrl, 'the agent process reports a metrics URL');
    const expected = [
      /^workqueue_adds_total\{(?=[^}]*name="execution-controller")[^}]*\} [1-9]/m,
      /^workqueue_depth\{(?=[^}]*name="work-status-controller")[^}]*\} \d+$/m,
      /^controller_runtime_reconcile_total\{(?=[^}]*controller="execution-controller")(?=[^}]*result="success")[^}]*\} [1-9]/m,
      // set by the restarted agent's first cluster status sync, which may come after it applied the Work
      /^cluster_ready_state\{member_cluster="p1"\} 1$/m,
    ];
    let agentMetrics = '';
    await eventually(async () => {
      agentMetrics = await (await fetch(restarted.metricsUrl!)).text();
      return expected.every((re) => re.test(agentMetrics));
    }, 'the restarted agent reports its controllers and p1 Ready on its /metrics', 30_000, 200).catch(() => undefined);
    for (const re of expected) assert.match(agentMetrics, re);

    const pids = (await pg.components()).map((c) => c.pid);
    assert.equal(await pg.kill('SIGINT'), 0);
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone after Ctrl-C`);
  } finally {
    karmada.close();
    p1.close();
    await pg.kill('SIGKILL');
  }
});

test('up refuses a bad --eviction-rate before anything starts', async () => {
  const root = tempDir('pg-proc-flags-');
  for (const bad of ['-1', 'fast']) {
    const r = await runCli('karmada-ts', ['up', '--eviction-rate', bad, '--data-dir', join(root, 'data'), '--kubeconfig-dir', join(root, 'kube')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`--eviction-rate must be a number of bindings per second, 0 or more \\(got "${bad}"\\)`));
    assert.doesNotMatch(r.stdout, /starting karmada-ts/);
    assert.equal(existsSync(join(root, 'data')), false, 'no data dir written');
  }
});

const EVICT = 'e2e.karmada-ts.io/evict';
const EVICTED = 8;

/** `up --eviction-rate RATE`, EVICTED ConfigMaps on m1 and m2, a NoExecute taint on m1: ms from the first binding leaving m1 to the last */
async function evictionSpan(rate: string): Promise<number> {
  const root = tempDir(`pg-proc-rate${rate}-`);
  const pg = await startPlaygroundProcess(join(root, 'data'), join(root, 'kube'), { args: ['--config', configFile(root), '--storage', 'memory', '--eviction-rate', rate] });
  const karmada = new KubeHttp(credentialsFromKubeconfig(readFileSync(pg.karmadaConfig, 'utf8')));
  const streams: { stop(): void }[] = [];
  try {
    assert.equal((await karmada.post('/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies', configMapPolicy('evict', EVICT))).status, 201);
    for (let i = 0; i < EVICTED; i++) {
      const r = await karmada.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `ev-${i}`, labels: { [EVICT]: 'yes' } }, data: { i: String(i) } });
      assert.equal(r.status, 201, r.text);
    }
    const clustersOf = (rb: { spec?: { clusters?: { name: string }[] } }) => (rb.spec?.clusters ?? []).map((c) => c.name).sort();
    const bindings = async () => ((await karmada.get('/apis/work.karmada.io/v1alpha2/namespaces/default/resourcebindings')).body.items ?? []) as { metadata: { name: string }; spec?: { clusters?: { name: string }[] } }[];
    await eventually(async () => (await bindings()).filter((rb) => clustersOf(rb).join() === 'm1,m2').length === EVICTED, `all ${EVICTED} bindings scheduled to m1 and m2`, 60_000, 200);

    const leftM1 = new Map<string, number>();
    const w = karmada.watch('/apis/work.karmada.io/v1alpha2/namespaces/default/resourcebindings?watch=1', (ev, at) => {
      const rb = ev.object as { metadata: { name: string }; spec?: { clusters?: { name: string }[] } };
      if (!leftM1.has(rb.metadata.name) && !clustersOf(rb).includes('m1')) leftM1.set(rb.metadata.name, at);
    });
    streams.push(w);
    await w.ready;
    const tainted = await runCli('karmadactl', ['taint', 'clusters', 'm1', `${EVICT}:NoExecute`, '--kubeconfig', pg.karmadaConfig]);
    assert.equal(tainted.stdout, 'cluster/m1 tainted\n', tainted.stderr);
    await eventually(() => leftM1.size === EVICTED, `every binding evicted from m1 (rate ${rate})`, 60_000, 50);
    for (const rb of await bindings()) assert.deepEqual(clustersOf(rb), ['m2'], `${rb.metadata.name} runs on m2 alone`);
    const times = [...leftM1.values()];
    return Math.max(...times) - Math.min(...times);
  } finally {
    for (const s of streams) s.stop();
    karmada.close();
    await pg.kill('SIGKILL');
  }
}

test(`up --eviction-rate reaches the controller manager: at 1/s a NoExecute taint evicts ${EVICTED} bindings a second apart, at 0 all at once`, { timeout: 240_000 }, async (t) => {
  const [limited, unlimited] = await Promise.all([evictionSpan('1'), evictionSpan('0')]);
  t.diagnostic(`first to last eviction: ${Math.round(limited)} ms at --eviction-rate 1, ${Math.round(unlimited)} ms at 0`);
  // a burst of 1 then 1/s: the last eviction is due 7 s after the first; without a cap nothing waits
  assert.ok(limited >= (EVICTED - 2) * 1000, `at 1/s the ${EVICTED} evictions took ${limited} ms from the first to the last, expected about ${(EVICTED - 1) * 1000}`);
  assert.ok(unlimited < 3000, `with no cap the ${EVICTED} evictions took ${unlimited} ms from the first to the last, expected them together`);
});
