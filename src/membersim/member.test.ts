import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { internalContext } from '../apiserver/rest/context.js';
import type { KubeObject } from '../apimachinery/types.js';
import { memberConfig, nodePool } from './config.js';
import { SimulatedMember } from './member.js';
import { memberReads } from './testing.js';

let member: SimulatedMember;
let dir: string;
const ctx = internalContext('test');

const { def, list, until } = memberReads(() => member);

const deployment = (name: string, replicas: number, image: string, cpu = '1'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu } } }] } },
  },
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'membersim-'));
  member = await SimulatedMember.start(memberConfig('m1', { region: 'eu', zones: ['eu-a', 'eu-b'], nodes: [nodePool({ count: 2, cpu: '2', memory: '8Gi' }), nodePool({ count: 1, namePrefix: 'gpu', cpu: '8', extendedResources: { 'nvidia.com/gpu': '2' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })] }), {
    dataDir: dir,
    timing: { podStartupMs: 100, jobDurationMs: 300, hpaSyncMs: 200 },
  });
});

after(async () => {
  await member?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SimulatedMember', () => {
  test('registers the configured nodes with region and zone labels', async () => {
    const nodes = await list('', 'nodes');
    assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), ['m1-gpu-1', 'm1-node-1', 'm1-node-2']);
    assert.equal(nodes[0].metadata.labels!['topology.kubernetes.io/region'], 'eu');
    assert.deepEqual(nodes.map((n) => n.metadata.labels!['topology.kubernetes.io/zone']).sort(), ['eu-a', 'eu-a', 'eu-b']);
    const gpu = nodes.find((n) => n.metadata.name === 'm1-gpu-1')!;
    assert.equal((gpu.status as { allocatable: Record<string, string> }).allocatable['nvidia.com/gpu'], '2');
  });

  test('a Deployment larger than the nodes: 4 Running, 1 Pending Unschedulable, status 4 ready', async () => {
    await member.apiServer!.objects.create(def('apps', 'deployments'), 'default', deployment('big', 5, 'nginx:1.25'), ctx);
    const d = await until(async () => {
      const [dep] = (await list('apps', 'deployments')).filter((x) => x.metadata.name === 'big');
      const s = dep?.status as { readyReplicas?: number } | undefined;
      return s?.readyReplicas === 4 && dep;
    }, 'deployment ready 4');
    const pods = (await list('', 'pods')).filter((p) => p.metadata.labels?.app === 'big');
    assert.equal(pods.length, 5);
    const phases = pods.map((p) => (p.status as { phase: string }).phase).sort();
    assert.deepEqual(phases, ['Pending', 'Running', 'Running', 'Running', 'Running']);
    const pending = pods.find((p) => (p.status as { phase: string }).phase === 'Pending')!;
    const cond = (pending.status as { conditions: { type: string; reason: string; message: string }[] }).conditions.find((c) => c.type === 'PodScheduled')!;
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
    const status = d.status as { conditions: { type: string; status: string; reason: string }[] };
    assert.deepEqual(status.conditions.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');
    await member.apiServer!.objects.delete(def('apps', 'deployments'), 'default', 'big', {}, ctx);
    await until(async () => (await list('', 'pods')).every((p) => p.metadata.labels?.app !== 'big'), 'pods of big garbage-collected');
  });

  test('a one-replica Deployment is written as a real cluster writes it: Progressing NewReplicaSetCreated, ReplicaSetUpdated, NewReplicaSetAvailable, no write that changes nothing', async () => {
    const writes: { kind: string; status: string; progressing?: string }[] = [];
    const watchers = await Promise.all(
      (['apps/deployments', 'apps/replicasets', '/pods'] as const).map((gr) => {
        const [group, resource] = gr.split('/');
        return member.apiServer!.objects.watch(def(group, resource), 'default', {}, {
          onEvent: (_type, o) => {
            if (o.metadata.name?.startsWith('one')) writes.push({ kind: o.kind!, status: JSON.stringify(o.status ?? {}) + JSON.stringify(o.metadata.annotations ?? {}) + JSON.stringify(o.spec), progressing: (o.status as { conditions?: { type: string; reason: string }[] } | undefined)?.conditions?.find((c) => c.type === 'Progressing')?.reason });
          },
          onError: () => {},
        });
      }),
    );
    try {
      await member.apiServer!.objects.create(def('apps', 'deployments'), 'default', deployment('one', 1, 'nginx:1.25', '10m'), ctx);
      await until(async () => writes.some((w) => w.progressing === 'NewReplicaSetAvailable'), 'deployment one complete');
      // a little longer: a late write that changes nothing would show up here
      await until(async () => (await list('', 'pods')).some((p) => p.metadata.name?.startsWith('one') && (p.status as { phase?: string }).phase === 'Running'), 'pod of one running');
      const deployments = writes.filter((w) => w.kind === 'Deployment');
      const reasons = deployments.map((w) => w.progressing).filter((r, i, all) => r && r !== all[i - 1]);
      assert.deepEqual(reasons, ['NewReplicaSetCreated', 'ReplicaSetUpdated', 'NewReplicaSetAvailable']);
      // create, then a status write per change of the ReplicaSet's counts, the first with the revision
      // annotation (kube's getNewReplicaSet sets it through UpdateStatus): at most 4
      assert.ok(deployments.length <= 4, `${deployments.length} Deployment writes`);
      assert.equal(deployments[1].progressing, 'NewReplicaSetCreated');
      assert.match(deployments[1].status, /"deployment\.kubernetes\.io\/revision":"1"/);
      const stored = await member.apiServer!.objects.get(def('apps', 'deployments'), 'default', 'one');
      const owner = stored.metadata.managedFields?.find((m) => JSON.stringify(m.fieldsV1).includes('f:deployment.kubernetes.io/revision'));
      assert.deepEqual([owner?.manager, owner?.subresource], ['deployment-controller', 'status']);
      // the pod: create, bind (pods/binding: nodeName and PodScheduled in one write, as kube-scheduler binds), the kubelet's status
      const pods = writes.filter((w) => w.kind === 'Pod');
      assert.equal(pods.length, 3, `${pods.length} Pod writes`);
      for (const kind of ['Deployment', 'ReplicaSet', 'Pod']) {
        const of = writes.filter((w) => w.kind === kind);
        for (let i = 1; i < of.length; i++) assert.notEqual(of[i].status, of[i - 1].status, `${kind} write ${i} changes nothing`);
      }
    } finally {
      for (const w of watchers) w.stop();
      await member.apiServer!.objects.delete(def('apps', 'deployments'), 'default', 'one', {}, ctx);
    }
  });

  test('an image change rolls the pods through a new ReplicaSet', async () => {
    const objects = member.apiServer!.objects;
    await objects.create(def('apps', 'deployments'), 'default', deployment('web', 3, 'nginx:1.25', '100m'), ctx);
    await until(async () => ((await objects.get(def('apps', 'deployments'), 'default', 'web')).status as { availableReplicas?: number })?.availableReplicas === 3, 'web available');
    await objects.guaranteedUpdate(def('apps', 'deployments'), 'default', 'web', ctx, (o) => {
      ((o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'nginx:1.26');
      return o;
    });
    const d = await until(async () => {
      const dep = await objects.get(def('apps', 'deployments'), 'default', 'web');
      const s = dep.status as { observedGeneration?: number; updatedReplicas?: number; replicas?: number; availableReplicas?: number; conditions?: { type: string; reason: string }[] };
      return s.observedGeneration === dep.metadata.generation && s.updatedReplicas === 3 && s.replicas === 3 && s.availableReplicas === 3 && s.conditions?.some((c) => c.reason === 'NewReplicaSetAvailable') && dep;
    }, 'rollout complete');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    const rss = (await list('apps', 'replicasets')).filter((r) => r.metadata.labels?.app === 'web');
    assert.equal(rss.length, 2);
    assert.deepEqual(rss.map((r) => (r.spec as { replicas: number }).replicas).sort(), [0, 3]);
    const pods = (await list('', 'pods')).filter((p) => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp);
    assert.equal(pods.length, 3);
    for (const p of pods) assert.equal((p.spec as { containers: { image: string }[] }).containers[0].image, 'nginx:1.26');
  });

  test('a scaled Deployment resizes its ReplicaSet in one write, spec.replicas with the desired-replicas annotation (kube\'s scaleReplicaSet)', async () => {
    const objects = member.apiServer!.objects;
    await objects.create(def('apps', 'deployments'), 'default', deployment('resize', 1, 'nginx:1.25', '10m'), ctx);
    await until(async () => ((await objects.get(def('apps', 'deployments'), 'default', 'resize')).status as { availableReplicas?: number })?.availableReplicas === 1, 'resize available');
    const writes: { replicas?: number; desired?: string; max?: string }[] = [];
    const watcher = await objects.watch(def('apps', 'replicasets'), 'default', {}, {
      onEvent: (_type, rs) => {
        if (rs.metadata.labels?.app !== 'resize') return;
        const a = rs.metadata.annotations ?? {};
        writes.push({ replicas: (rs.spec as { replicas?: number }).replicas, desired: a['deployment.kubernetes.io/desired-replicas'], max: a['deployment.kubernetes.io/max-replicas'] });
      },
      onError: () => {},
    });
    try {
      await objects.guaranteedUpdate(def('apps', 'deployments'), 'default', 'resize', ctx, (o) => {
        (o.spec as { replicas: number }).replicas = 3;
        return o;
      });
      await until(async () => ((await objects.get(def('apps', 'deployments'), 'default', 'resize')).status as { availableReplicas?: number })?.availableReplicas === 3, 'resize scaled to 3');
      // the watch's first event is the ReplicaSet as it was (1 replica, sized for 1, surge 25% of 1 rounds up to 1)
      assert.deepEqual(writes[0], { replicas: 1, desired: '1', max: '2' });
      const resized = writes.filter((w, i) => i > 0 && (w.replicas !== writes[i - 1].replicas || w.desired !== writes[i - 1].desired));
      assert.deepEqual(resized, [{ replicas: 3, desired: '3', max: '4' }]);
    } finally {
      watcher.stop();
      await objects.delete(def('apps', 'deployments'), 'default', 'resize', {}, ctx);
    }
  });

  test('a Job with completions 3 and parallelism 2 completes', async () => {
    await member.apiServer!.objects.create(def('batch', 'jobs'), 'default', {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default' },
      spec: { completions: 3, parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } },
    }, ctx);
    const job = await until(async () => {
      const j = await member.apiServer!.objects.get(def('batch', 'jobs'), 'default', 'pi');
      return (j.status as { conditions?: { type: string }[] }).conditions?.some((c) => c.type === 'Complete') && j;
    }, 'job complete');
    const s = job.status as { succeeded: number; completionTime?: string; startTime?: string; active?: number };
    assert.equal(s.succeeded, 3);
    assert.ok(s.completionTime && s.startTime);
    assert.equal(s.active, undefined);
  });

  test('a DaemonSet runs one pod on every node it tolerates', async () => {
    await member.apiServer!.objects.create(def('apps', 'daemonsets'), 'default', {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent' }] } } },
    }, ctx);
    const ds = await until(async () => {
      const d = await member.apiServer!.objects.get(def('apps', 'daemonsets'), 'default', 'agent');
      return (d.status as { numberReady?: number }).numberReady === 2 && d;
    }, 'daemonset ready');
    assert.equal((ds.status as { desiredNumberScheduled: number }).desiredNumberScheduled, 2);
    const nodes = (await list('', 'pods')).filter((p) => p.metadata.labels?.app === 'agent').map((p) => (p.spec as { nodeName: string }).nodeName).sort();
    assert.deepEqual(nodes, ['m1-node-1', 'm1-node-2']);
  });

  test('a StatefulSet names its pods by ordinal and a Service lists them in an EndpointSlice', async () => {
    const objects = member.apiServer!.objects;
    await objects.create(def('', 'services'), 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { type: 'NodePort', selector: { app: 'db' }, ports: [{ port: 5432 }] } }, ctx);
    await objects.create(def('apps', 'statefulsets'), 'default', {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' },
      spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'postgres' }] } } },
    }, ctx);
    await until(async () => ((await objects.get(def('apps', 'statefulsets'), 'default', 'db')).status as { readyReplicas?: number }).readyReplicas === 2, 'statefulset ready');
    const pods = (await list('', 'pods')).filter((p) => p.metadata.labels?.app === 'db').map((p) => p.metadata.name).sort();
    assert.deepEqual(pods, ['db-0', 'db-1']);
    const svc = await objects.get(def('', 'services'), 'default', 'db');
    const spec = svc.spec as { clusterIP: string; ports: { nodePort: number }[] };
    assert.match(spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\./);
    assert.ok(spec.ports[0].nodePort >= 30000 && spec.ports[0].nodePort <= 32767);
    const slice = await until(async () => {
      const [es] = (await list('discovery.k8s.io', 'endpointslices')).filter((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'db');
      return (es?.endpoints as unknown[] | undefined)?.length === 2 && es;
    }, 'endpointslice');
    const eps = slice.endpoints as { conditions: { ready: boolean }; targetRef: { name: string } }[];
    assert.deepEqual(eps.map((e) => [e.targetRef.name, e.conditions.ready]), [['db-0', true], ['db-1', true]]);
  });

  const podMetricsOf = async (app: string) => (await member.metrics!.pods('default')).filter((m) => m.metadata.labels?.app === app);
  const cpuOf = (pm: KubeObject) => (pm.containers as { usage: { cpu: string } }[])[0].usage.cpu;

  test('metrics.k8s.io: PodMetrics follow the workload annotation, NodeMetrics sum the node', async () => {
    const objects = member.apiServer!.objects;
    const d = deployment('busy', 1, 'app', '500m');
    d.metadata.annotations = { 'membersim.karmada-ts.io/cpu-utilization': '80' };
    await objects.create(def('apps', 'deployments'), 'default', d, ctx);
    const [pm] = await until(async () => { const l = await podMetricsOf('busy'); return l.length === 1 && l; }, 'pod metrics');
    assert.deepEqual((pm.containers as { usage: unknown }[])[0].usage, { cpu: '400000000n', memory: `${(64 * 1024) / 2}Ki` });
    const nodes = await member.metrics!.nodes();
    assert.equal(nodes.length, 3);
    assert.ok(nodes.every((n) => /^\d+n$/.test((n.usage as { cpu: string }).cpu)));
    await objects.delete(def('apps', 'deployments'), 'default', 'busy', {}, ctx);
    await until(async () => (await podMetricsOf('busy')).length === 0, 'pod metrics removed with the pod');
  });

  test('member load: the setting is shared by the running pods, so scaling out lowers each pod\'s usage; reset restores the default', async () => {
    const objects = member.apiServer!.objects;
    await objects.create(def('apps', 'deployments'), 'default', deployment('loaded', 2, 'app', '100m'), ctx);
    await until(async () => (await podMetricsOf('loaded')).length === 2, 'two running pods');
    await assert.rejects(member.setLoad('default', 'nope', { cpu: '1' }), /deployments.apps "nope" not found/);
    await assert.rejects(member.setLoad('default', 'loaded', { cpu: 'lots' }), /--cpu: "lots" is not a cpu quantity/);
    assert.deepEqual(await member.setLoad('default', 'loaded', { cpu: '200m', memory: '100Mi' }), { pods: 2 });
    assert.deepEqual((await podMetricsOf('loaded')).map(cpuOf), ['200000000n', '200000000n']);
    await objects.guaranteedUpdate(def('apps', 'deployments'), 'default', 'loaded', ctx, (o) => ({ ...o, spec: { ...(o.spec as object), replicas: 4 } }));
    const four = await until(async () => { const l = await podMetricsOf('loaded'); return l.length === 4 && l; }, 'four running pods');
    assert.deepEqual(four.map(cpuOf), ['100000000n', '100000000n', '100000000n', '100000000n']);
    assert.equal((four[0].containers as { usage: { memory: string } }[])[0].usage.memory, `${50 * 1024}Ki`);
    await member.setLoad('default', 'loaded', undefined);
    assert.deepEqual((await podMetricsOf('loaded')).map(cpuOf), ['10000000n', '10000000n', '10000000n', '10000000n']);
    await objects.delete(def('apps', 'deployments'), 'default', 'loaded', {}, ctx);
  });

  test('custom.metrics.k8s.io: a load\'s custom metric is spread over the pods', async () => {
    const objects = member.apiServer!.objects;
    await objects.create(def('apps', 'deployments'), 'default', deployment('api', 2, 'app', '50m'), ctx);
    await until(async () => (await podMetricsOf('api')).length === 2, 'two running pods');
    await assert.rejects(member.setLoad('default', 'api', { cpu: '10m', metrics: ['nonsense'] }), /--metric: "nonsense" is not NAME=QUANTITY/);
    await member.setLoad('default', 'api', { cpu: '10m', metrics: ['http_requests=30'] });
    const values = await member.metrics!.custom('default', 'http_requests', 'app=api');
    assert.deepEqual(values.map((v) => v.value), ['30000m', '30000m']);
    assert.deepEqual(await member.metrics!.custom('default', 'http_requests', 'app=other'), []);
    assert.deepEqual(await member.metrics!.custom('default', 'latency', ''), []);
    await objects.delete(def('apps', 'deployments'), 'default', 'api', {}, ctx);
  });

  test('an HPA in the member scales its Deployment from the load model', async () => {
    const objects = member.apiServer!.objects;
    const d = deployment('auto', 1, 'app', '100m');
    (d.spec as { template: { spec: { containers: { resources: { requests: Record<string, string> } }[] } } }).template.spec.containers[0].resources.requests.memory = '64Mi';
    await objects.create(def('apps', 'deployments'), 'default', d, ctx);
    await until(async () => (await podMetricsOf('auto')).length === 1, 'one running pod');
    await member.setLoad('default', 'auto', { cpu: '10m', memory: '200Mi' });
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'auto', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'auto' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }] },
    };
    await objects.create(def('autoscaling', 'horizontalpodautoscalers'), 'default', hpa, ctx);
    await until(async () => ((await objects.get(def('apps', 'deployments'), 'default', 'auto')).spec as { replicas: number }).replicas === 2, 'scaled to 2 (200Mi against 100Mi per pod)');
    const status = await until(async () => {
      const s = (await objects.get(def('autoscaling', 'horizontalpodautoscalers'), 'default', 'auto')).status as { currentReplicas?: number; currentMetrics?: { resource: { current: { averageValue: string } } }[]; conditions?: { type: string; reason: string }[] };
      return s?.currentReplicas === 2 && s.currentMetrics?.[0]?.resource.current.averageValue === '100Mi' && s;
    }, 'status: 2 replicas at 100Mi each');
    assert.equal(status.conditions?.find((c) => c.type === 'ScalingActive')?.reason, 'ValidMetricFound');
    await objects.delete(def('autoscaling', 'horizontalpodautoscalers'), 'default', 'auto', {}, ctx);
    await objects.delete(def('apps', 'deployments'), 'default', 'auto', {}, ctx);
  });

  test('a NotReady node gets Unknown, the unreachable taint, and its pods turn not ready', async () => {
    member.setNodeReady('m1-node-1', false);
    const node = await until(async () => {
      const n = await member.apiServer!.objects.get(def('', 'nodes'), undefined, 'm1-node-1');
      return ((n.spec as { taints?: { key: string }[] }).taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable') && n;
    }, 'node tainted');
    const ready = (node.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'Unknown');
    await until(async () => (await list('', 'pods')).filter((p) => (p.spec as { nodeName?: string }).nodeName === 'm1-node-1' && (p.status as { phase: string }).phase === 'Running').every((p) => (p.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')?.status === 'False'), 'pods not ready');
    member.setNodeReady('m1-node-1', true);
    await until(async () => {
      const n = await member.apiServer!.objects.get(def('', 'nodes'), undefined, 'm1-node-1');
      return !((n.spec as { taints?: unknown[] }).taints ?? []).length;
    }, 'node ready again');
  });

  test('a stopped member refuses connections and comes back with its objects', async () => {
    const url = member.url;
    await member.stop();
    await assert.rejects(fetch(`${url}/healthz`), /fetch failed/);
    await member.start();
    assert.equal(member.url, url);
    const d = await member.apiServer!.objects.get(def('apps', 'deployments'), 'default', 'web');
    assert.equal((d.spec as { replicas: number }).replicas, 3);
  });
});
