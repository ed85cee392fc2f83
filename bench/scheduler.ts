// Scheduler throughput: bindings scheduled per second (Divided by dynamic weights, with a region
// spread) against 100 and 1,000 clusters, each compared with a baseline measured in the same run
// that only writes the same binding results into a MemoryStore. The ratio is the scheduling overhead.
// Run: node --import tsx bench/scheduler.ts
import os from 'node:os';
import type { Cluster } from '../src/apis/karmada/cluster.js';
import type { ResourceBinding } from '../src/apis/karmada/binding.js';
import { MemoryStore } from '../src/storage/memory/memory.js';
import { benchBinding } from './support/bindings.js';
import { applyScheduleResult, scheduleBinding } from '../src/scheduler/schedule.js';

const REGIONS = 10;
const BINDINGS = 400;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

function makeClusters(n: number): Cluster[] {
  const out: Cluster[] = [];
  for (let i = 0; i < n; i++) {
    const cpu = 32 + ((i * 37) % 96);
    out.push({
      apiVersion: 'cluster.karmada.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: `member-${String(i).padStart(4, '0')}`, labels: { env: i % 5 === 0 ? 'staging' : 'prod' } },
      spec: {
        syncMode: i % 3 === 0 ? 'Pull' : 'Push',
        provider: 'sim',
        region: `region-${i % REGIONS}`,
        zones: [`region-${i % REGIONS}-z${i % 3}`],
        taints: i % 17 === 0 ? [{ key: 'maintenance', value: 'true', effect: 'NoSchedule' }] : undefined,
      },
      status: {
        apiEnablements: [{ groupVersion: 'apps/v1', resources: [{ name: 'deployments', kind: 'Deployment' }] }],
        conditions: [{ type: 'Ready', status: 'True' }],
        resourceSummary: {
          allocatable: { pods: '1100', cpu: String(cpu), memory: `${cpu * 4}Gi` },
          allocated: { pods: String(i % 200), cpu: `${(i * 13) % 16}`, memory: `${(i * 7) % 32}Gi` },
        },
      },
    });
  }
  return out;
}

function makeBindings(n: number): ResourceBinding[] {
  return Array.from({ length: n }, (_, i) => benchBinding(i, `ns-${i % 20}`, { generation: 1 }));
}

interface Writer {
  write(key: string, value: string): Promise<void>;
}

function storeWriter(store: MemoryStore): Writer {
  const revisions = new Map<string, number>();
  return {
    async write(key, value) {
      const rev = revisions.get(key);
      const kv = rev === undefined ? await store.create(key, value) : await store.update(key, value, rev);
      revisions.set(key, kv.modRevision);
    },
  };
}

const keyOf = (b: ResourceBinding) => `/registry/work.karmada.io/resourcebindings/${b.metadata.namespace}/${b.metadata.name}`;

/** Runs `step` over the bindings round-robin for SECONDS; returns operations per second. */
async function measure(bindings: ResourceBinding[], step: (b: ResourceBinding, i: number) => Promise<void>): Promise<number> {
  // warm-up
  for (let i = 0; i < Math.min(50, bindings.length); i++) await step(bindings[i], i);
  const deadline = performance.now() + SECONDS * 1000;
  const start = performance.now();
  let n = 0;
  while (performance.now() < deadline) {
    for (let k = 0; k < 20; k++, n++) await step(bindings[n % bindings.length], n);
  }
  return n / ((performance.now() - start) / 1000);
}

async function run(clusterCount: number): Promise<{ clusters: number; scheduled: number; baseline: number; failures: number }> {
  const clusters = makeClusters(clusterCount);
  const bindings = makeBindings(BINDINGS);
  const now = new Date('2025-01-01T00:00:00Z');
  const clock = () => now;
  let failures = 0;

  // Precompute the results the baseline writes: the same objects the scheduling run produces.
  const results = bindings.map((b) => JSON.stringify(applyScheduleResult(b, scheduleBinding(b, clusters, { now: clock }), now)));

  const schedStore = new MemoryStore();
  const schedWriter = storeWriter(schedStore);
  const scheduled = await measure(bindings, async (b) => {
    const r = scheduleBinding(b, clusters, { now: clock });
    if (!r.ok) failures++;
    await schedWriter.write(keyOf(b), JSON.stringify(applyScheduleResult(b, r, now)));
  });
  await schedStore.close();

  const baseStore = new MemoryStore();
  const baseWriter = storeWriter(baseStore);
  const baseline = await measure(bindings, async (b, i) => {
    await baseWriter.write(keyOf(b), results[i % results.length]);
  });
  await baseStore.close();
  return { clusters: clusterCount, scheduled, baseline, failures };
}

const cpu = os.cpus()[0];
console.log(`machine: ${cpu?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.release()}`);
console.log(`workload: Divided by dynamic weights (AvailableReplicas), region spread 2-3 regions of ${REGIONS}, cluster spread 2-10, ${BINDINGS} distinct bindings, ${SECONDS}s per measurement`);
console.log('clusters  scheduled bindings/s  baseline writes/s  overhead (baseline/scheduled)');
for (const n of [100, 1000]) {
  const r = await run(n);
  const line = `${String(r.clusters).padStart(8)}  ${r.scheduled.toFixed(0).padStart(20)}  ${r.baseline.toFixed(0).padStart(17)}  ${(r.baseline / r.scheduled).toFixed(1).padStart(8)}x`;
  console.log(line + (r.failures ? `  (${r.failures} attempts unschedulable)` : ''));
}
console.log("reference: Karmada's scheduler benchmark reports ~22 bindings/s with 100 clusters");
