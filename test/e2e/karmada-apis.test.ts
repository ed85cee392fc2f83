// Karmada's API groups through the real kubectl: discovery, short names, printer columns, explain,
// defaulting and the 422s of the admission rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { karmadaAdmission } from '../../src/apiserver/admission/karmada.js';
import { installKarmadaAPIs } from '../../src/controlplane/install-crds.js';
import { startTestServer, type TestServer } from '../support/apiserver.js';

// Karmada's samples/nginx/propagationpolicy.yaml, as a user would apply it.
const nginxPolicy = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: nginx-propagation
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
  placement:
    clusterAffinity:
      clusterNames:
        - member1
        - member2
    replicaScheduling:
      replicaDivisionPreference: Weighted
      replicaSchedulingType: Divided
      weightPreference:
        staticWeightList:
          - targetCluster:
              clusterNames:
                - member1
            weight: 1
          - targetCluster:
              clusterNames:
                - member2
            weight: 1
`;

function policyWithPlacement(name: string, placement: string): string {
  return `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: ${name}
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
  placement:
${placement}`;
}

describe('Karmada APIs via kubectl', () => {
  let ts: TestServer;

  before(async () => {
    ts = await startTestServer({ admission: karmadaAdmission() });
    await installKarmadaAPIs(ts.server);
  });

  after(async () => {
    await ts?.stop();
  });

  test('kubectl get pp,cpp,op,rb,crb,work,clusters finds nothing, without errors', async () => {
    const r = await ts.kubectl.run(['get', 'pp,cpp,op,rb,crb,work,clusters']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /No resources found/);
  });

  test('api-resources lists the policy group with its short names', async () => {
    const out = await ts.kubectl.ok(['api-resources', '--api-group=policy.karmada.io', '--no-headers']);
    const rows = new Map(out.trim().split('\n').map((l) => [l.split(/\s+/)[0], l]));
    assert.match(rows.get('propagationpolicies') ?? '', /\spp\s+policy\.karmada\.io\/v1alpha1\s+true\s+PropagationPolicy/);
    assert.match(rows.get('clusterpropagationpolicies') ?? '', /\scpp\s+policy\.karmada\.io\/v1alpha1\s+false\s+ClusterPropagationPolicy/);
    assert.match(rows.get('overridepolicies') ?? '', /\sop\s/);
    assert.match(rows.get('clusteroverridepolicies') ?? '', /\scop\s/);
    assert.ok(rows.has('clustertaintpolicies') && rows.has('federatedresourcequotas'), out);
    const work = await ts.kubectl.ok(['api-resources', '--api-group=work.karmada.io', '--no-headers']);
    assert.match(work, /resourcebindings\s+rb\s+work\.karmada\.io\/v1alpha2/);
    assert.match(work, /clusterresourcebindings\s+crb\s+work\.karmada\.io\/v1alpha2/);
    assert.match(work, /works\s+wk\s+work\.karmada\.io\/v1alpha1/);
  });

  test('kubectl explain propagationpolicy.spec.placement prints the field docs', async () => {
    const out = await ts.kubectl.ok(['explain', 'propagationpolicy.spec.placement']);
    assert.match(out, /GROUP:\s+policy\.karmada\.io/);
    assert.match(out, /Where the selected resources may go and how replicas are divided/);
    for (const f of ['clusterAffinity', 'clusterAffinities', 'clusterTolerations', 'spreadConstraints', 'replicaScheduling']) assert.match(out, new RegExp(`\\b${f}\\b`));
    const rs = await ts.kubectl.ok(['explain', 'pp.spec.placement.replicaScheduling.replicaSchedulingType']);
    assert.match(rs, /Duplicated copies all replicas/);
  });

  test("Karmada's nginx PropagationPolicy applies and reads back with defaults", async () => {
    const applied = await ts.kubectl.ok(['apply', '-f', '-'], { stdin: nginxPolicy });
    assert.match(applied, /propagationpolicy\.policy\.karmada\.io\/nginx-propagation created/);
    const pp = JSON.parse(await ts.kubectl.ok(['get', 'pp', 'nginx-propagation', '-o', 'json']));
    assert.equal(pp.spec.conflictResolution, 'Abort');
    assert.equal(pp.spec.priority, 0);
    assert.equal(pp.spec.preemption, 'Never');
    assert.equal(pp.spec.schedulerName, 'default-scheduler');
    assert.equal(pp.spec.resourceSelectors[0].namespace, 'default');
    assert.match(pp.metadata.labels['propagationpolicy.karmada.io/permanent-id'], /^[0-9a-f-]{36}$/);
    const table = await ts.kubectl.ok(['get', 'pp']);
    assert.match(table, /^NAME\s+CONFLICT-RESOLUTION\s+PRIORITY\s+AGE/);
    assert.match(table, /nginx-propagation\s+Abort\s+0\s+/);
    // applying again changes nothing and keeps the permanent id
    const again = await ts.kubectl.ok(['apply', '-f', '-'], { stdin: nginxPolicy });
    assert.match(again, /unchanged|configured/);
    const pp2 = JSON.parse(await ts.kubectl.ok(['get', 'pp', 'nginx-propagation', '-o', 'json']));
    assert.equal(pp2.metadata.labels['propagationpolicy.karmada.io/permanent-id'], pp.metadata.labels['propagationpolicy.karmada.io/permanent-id']);
  });

  test('maxGroups lower than minGroups is refused with a 422 naming the field', async () => {
    const bad = policyWithPlacement('bad-spread', '    spreadConstraints:\n      - spreadByField: cluster\n        minGroups: 3\n        maxGroups: 1\n');
    const r = await ts.kubectl.run(['apply', '-f', '-'], { stdin: bad });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /The PropagationPolicy "bad-spread" is invalid: spec\.placement\.spreadConstraints\[0\]\.maxGroups: Invalid value: 1: maxGroups lower than minGroups is not allowed/,
    );
  });

  test('spreadConstraints that static weights will ignore are accepted with a kubectl warning saying so', async () => {
    const policy = policyWithPlacement('ignored-spread', '    spreadConstraints:\n      - {spreadByField: cluster, minGroups: 1, maxGroups: 1}\n    replicaScheduling:\n      replicaSchedulingType: Divided\n');
    const r = await ts.kubectl.run(['apply', '-f', '-'], { stdin: policy });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: spec\.placement\.spreadConstraints: ignored, as in Karmada, because replicas are divided by static weights .*dynamicWeight: AvailableReplicas/);
    await ts.kubectl.ok(['delete', 'pp', 'ignored-spread']);
  });

  test('an unknown replicaSchedulingType is refused by the schema', async () => {
    const bad = policyWithPlacement('bad-type', '    replicaScheduling:\n      replicaSchedulingType: Spread\n');
    const r = await ts.kubectl.run(['apply', '-f', '-'], { stdin: bad });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The PropagationPolicy "bad-type" is invalid: spec\.placement\.replicaScheduling\.replicaSchedulingType: Unsupported value: "Spread": supported values: "Duplicated", "Divided"/);
  });

  test('clusters: created with defaults, listed with VERSION MODE READY AGE, names checked', async () => {
    await ts.kubectl.ok(['apply', '-f', '-'], {
      stdin: 'apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: member1\nspec:\n  syncMode: Push\n  apiEndpoint: https://127.0.0.1:6443\n  zone: z1\n',
    });
    const table = await ts.kubectl.ok(['get', 'clusters']);
    assert.match(table, /^NAME\s+VERSION\s+MODE\s+READY\s+AGE/);
    assert.match(table, /\nmember1\s+Push\s+\d+s\n/);
    const wide = await ts.kubectl.ok(['get', 'clusters', '-o', 'wide']);
    assert.match(wide, /^NAME\s+VERSION\s+MODE\s+READY\s+AGE\s+ZONES\s+REGION\s+PROVIDER\s+API-ENDPOINT\s+PROXY-URL/);
    assert.match(wide, /member1\s+Push\s+\d+s\s+\["z1"\]\s+https:\/\/127\.0\.0\.1:6443/);
    const c = JSON.parse(await ts.kubectl.ok(['get', 'cluster', 'member1', '-o', 'json']));
    assert.deepEqual(c.spec.zones, ['z1']);
    assert.equal(c.spec.resourceModels.length, 9);
    const r = await ts.kubectl.run(['apply', '-f', '-'], {
      stdin: `apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: ${'m'.repeat(49)}\nspec:\n  syncMode: Pull\n`,
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /metadata\.name: Invalid value: "m+": must be no more than 48 characters/);
  });

  test('a deletion-protected object cannot be deleted', async () => {
    await ts.kubectl.ok(['apply', '-f', '-'], {
      stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  labels:\n    resourcetemplate.karmada.io/deletion-protected: Always\n',
    });
    const r = await ts.kubectl.run(['delete', 'configmap', 'keep']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /forbidden: This resource is protected, please make sure to remove the label: resourcetemplate\.karmada\.io\/deletion-protected/);
    await ts.kubectl.ok(['label', 'configmap', 'keep', 'resourcetemplate.karmada.io/deletion-protected-']);
    await ts.kubectl.ok(['delete', 'configmap', 'keep']);
  });

  test('installing again is a no-op', async () => {
    await installKarmadaAPIs(ts.server);
    const r = await ts.kubectl.run(['get', 'pp', 'nginx-propagation']);
    assert.equal(r.code, 0, r.stderr);
  });
});
