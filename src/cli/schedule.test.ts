import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { runScheduleCommand } from './schedule.js';

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

const clustersYaml = `
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: member1}
spec: {syncMode: Push, region: r1}
status:
  apiEnablements: [{groupVersion: apps/v1, resources: [{name: deployments, kind: Deployment}]}]
  resourceSummary: {allocatable: {pods: "10", cpu: "8"}}
---
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: member2}
spec:
  syncMode: Pull
  region: r2
  taints: [{key: maintenance, value: "yes", effect: NoSchedule}]
status:
  apiEnablements: [{groupVersion: apps/v1, resources: [{name: deployments, kind: Deployment}]}]
  resourceSummary: {allocatable: {pods: "30", cpu: "8"}}
`;

const clusterListYaml = `
apiVersion: v1
kind: List
items:
- metadata: {name: a}
  spec: {syncMode: Push}
  status:
    apiEnablements: [{groupVersion: apps/v1, resources: [{name: deployments, kind: Deployment}]}]
    resourceSummary: {allocatable: {pods: "30", cpu: "100"}}
- metadata: {name: b}
  spec: {syncMode: Push}
  status:
    apiEnablements: [{groupVersion: apps/v1, resources: [{name: deployments, kind: Deployment}]}]
    resourceSummary: {allocatable: {pods: "10", cpu: "100"}}
`;

const bindingYaml = (replicas: number, previous = '') => `
apiVersion: work.karmada.io/v1alpha2
kind: ResourceBinding
metadata: {name: web-deployment, namespace: default, generation: 3}
spec:
  resource: {apiVersion: apps/v1, kind: Deployment, namespace: default, name: web}
  replicas: ${replicas}
  replicaRequirements: {resourceRequest: {cpu: "1"}}
  placement:
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference: {dynamicWeight: AvailableReplicas}
${previous}`;

describe('karmada-ts schedule', () => {
  let dir: string;
  const file = async (name: string, text: string) => {
    const p = join(dir, name);
    await writeFile(p, text);
    return p;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'karmada-ts-schedule-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('prints the binding with spec.clusters and the Scheduled condition (yaml)', async () => {
    const out = sink();
    const code = await runScheduleCommand({ clusters: await file('c.yaml', clustersYaml), binding: await file('b.yaml', bindingYaml(6)) }, out);
    assert.equal(code, 0);
    const [doc] = parseAllDocuments(out.text()).map((d) => d.toJS());
    assert.deepEqual(doc.spec.clusters, [{ name: 'member1', replicas: 6 }]);
    const cond = doc.status.conditions.find((c: { type: string }) => c.type === 'Scheduled');
    assert.equal(cond.reason, 'Success');
    assert.equal(doc.status.schedulerObservedGeneration, 3);
  });

  test('a List of clusters, scale-up keeps existing replicas, json output', async () => {
    const out = sink();
    const previous = '  clusters: [{name: b, replicas: 4}]\n';
    const code = await runScheduleCommand({ clusters: await file('list.yaml', clusterListYaml), binding: await file('b2.yaml', bindingYaml(8, previous)), output: 'json' }, out);
    assert.equal(code, 0);
    const doc = JSON.parse(out.text());
    // 4 extra replicas by capacity a:30, b:10 (Webster) -> a 3, b 1; b keeps its 4; the new split's name order (MergeTargetClusters)
    assert.deepEqual(doc.spec.clusters, [{ name: 'a', replicas: 3 }, { name: 'b', replicas: 5 }]);
  });

  test('--explain adds per-cluster verdicts, scores and available replicas', async () => {
    const out = sink();
    const code = await runScheduleCommand({ clusters: await file('c3.yaml', clustersYaml), binding: await file('b3.yaml', bindingYaml(2)), output: 'json', explain: true }, out);
    assert.equal(code, 0);
    const list = JSON.parse(out.text());
    assert.equal(list.kind, 'List');
    const explanation = list.items[1];
    assert.equal(explanation.kind, 'ScheduleExplanation');
    const m2 = explanation.attempts[0].clusters.find((c: { name: string }) => c.name === 'member2');
    assert.equal(m2.feasible, false);
    assert.deepEqual(m2.filters.find((f: { plugin: string }) => f.plugin === 'TaintToleration').reasons, ['cluster(s) had untolerated taint {maintenance=yes:NoSchedule}']);
    const m1 = explanation.attempts[0].clusters.find((c: { name: string }) => c.name === 'member1');
    assert.equal(m1.availableReplicas, 8);
    assert.equal(m1.score, 0);
  });

  test('an unschedulable binding exits 1 and says why in the condition', async () => {
    const out = sink();
    const code = await runScheduleCommand({ clusters: await file('c4.yaml', clustersYaml), binding: await file('b4.yaml', bindingYaml(50)) }, out);
    assert.equal(code, 1);
    const [doc] = parseAllDocuments(out.text()).map((d) => d.toJS());
    const cond = doc.status.conditions.find((c: { type: string }) => c.type === 'Scheduled');
    assert.equal(cond.reason, 'Unschedulable');
    assert.match(cond.message, /Clusters available replicas 8 are not enough to schedule/);
  });

  const bad: { name: string; clusters?: string; binding?: string; want: RegExp }[] = [
    { name: 'a missing file', want: /nope\.yaml: cannot read: ENOENT/ },
    { name: 'invalid YAML', clusters: 'a: [1,', want: /bad-c\.yaml: invalid YAML/ },
    { name: 'a cluster without a name', clusters: 'kind: Cluster\nmetadata: {}\nspec: {}\n', want: /bad-c\.yaml: object 1: metadata\.name is required/ },
    { name: 'a non-Cluster in the clusters file', clusters: 'kind: Pod\nmetadata: {name: x}\n', want: /object 1: kind is "Pod", expected Cluster/ },
    { name: 'a binding of the wrong kind', binding: 'kind: Deployment\nmetadata: {name: x}\nspec: {}\n', want: /bad-b\.yaml: kind is "Deployment"/ },
    { name: 'a binding without spec.resource', binding: 'kind: ResourceBinding\nmetadata: {name: x}\nspec: {replicas: 1}\n', want: /spec\.resource with apiVersion and kind is required/ },
    { name: 'negative replicas', binding: 'kind: ResourceBinding\nmetadata: {name: x}\nspec: {resource: {apiVersion: v1, kind: ConfigMap, name: x}, replicas: -1}\n', want: /spec\.replicas must be a non-negative integer/ },
  ];
  for (const c of bad) {
    test(`bad input: ${c.name} gives a one-line error and exit 2`, async () => {
      const out = sink();
      const err = sink();
      const clusters = c.clusters !== undefined ? await file('bad-c.yaml', c.clusters) : c.binding !== undefined ? await file('ok-c.yaml', clustersYaml) : join(dir, 'nope.yaml');
      const binding = c.binding !== undefined ? await file('bad-b.yaml', c.binding) : await file('ok-b.yaml', bindingYaml(1));
      const code = await runScheduleCommand({ clusters, binding }, out, err);
      assert.equal(code, 2);
      assert.match(err.text(), c.want);
      assert.equal(err.text().trim().split('\n').length, 1);
      assert.equal(out.text(), '');
    });
  }
});
