// FederatedResourceQuota end to end (issue 18), as a user sees it with kubectl: an FRQ of 2 CPU
// overall with static assignments puts a ResourceQuota in each member; overallUsed sums what the
// members use; a Deployment that would take the namespace past 2 CPU is refused scheduling with a
// QuotaExceeded condition naming the resource, the sum and the limit, and schedules once scaled back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { eventually, type Kubectl } from '../support/kubectl.js';
import { startPlayground, type PlaygroundEnv } from '../support/playground.js';

const config = parsePlaygroundConfig({
  members: ['member1', 'member2'].map((name) => ({ name, region: 'us-east-1', nodes: [{ count: 2, cpu: 4, memory: '16Gi' }] })),
});
const ns = 'team-a';

let env: PlaygroundEnv | undefined;
let karmada: Kubectl;
let members: Kubectl;

/* eslint-disable @typescript-eslint/no-explicit-any -- objects read back from kubectl */
const yamlOf = async (k: Kubectl, args: string[]): Promise<any> => YAML.parse(await k.ok([...args, '-o', 'yaml']));
const frq = () => yamlOf(karmada, ['get', 'federatedresourcequota', 'team', '-n', ns]);
const memberQuota = (m: string) => yamlOf(members, ['--context', m, 'get', 'resourcequota', 'team', '-n', ns]);
const scheduled = async (name: string) => ((await yamlOf(karmada, ['get', 'rb', `${name}-deployment`, '-n', ns])).status?.conditions ?? []).find((c: any) => c.type === 'Scheduled');

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: nginx
        resources: {requests: {cpu: 500m, memory: 64Mi}}
`;
// one replica per member for every two: the members' shares stay even
const policy = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: apps, namespace: ${ns}}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment}
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [member1]}, weight: 1}
        - {targetCluster: {clusterNames: [member2]}, weight: 1}
`;

before(async () => {
  env = await startPlayground('frq', { config, storage: 'memory', timing: { podStartupMs: 100 } });
  ({ karmada, members } = env);
  await karmada.ok(['create', 'namespace', ns]);
});

after(() => env?.stop());

describe('FederatedResourceQuota', () => {
  test('static assignments become ResourceQuotas in the members', async () => {
    await karmada.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: policy.karmada.io/v1alpha1
kind: FederatedResourceQuota
metadata: {name: team, namespace: ${ns}}
spec:
  overall: {cpu: "2"}
  staticAssignments:
  - {clusterName: member1, hard: {cpu: "1"}}
  - {clusterName: member2, hard: {cpu: "1"}}
`,
    });
    for (const m of ['member1', 'member2']) {
      const q = await eventually(async () => {
        const q = await memberQuota(m);
        return q.status?.used ? q : undefined;
      }, `${m}'s ResourceQuota team with its status`, 20_000, 200);
      assert.deepEqual(q.spec.hard, { cpu: '1' });
      assert.deepEqual(q.status, { hard: { cpu: '1' }, used: { cpu: '0' } });
    }
    const f = await eventually(async () => {
      const f = await frq();
      return f.status?.aggregatedStatus?.length === 2 && f.status?.overall ? f : undefined;
    }, 'the FRQ status', 20_000, 200);
    assert.deepEqual(f.status.overall, { cpu: '2' });
    assert.deepEqual(f.status.aggregatedStatus.map((a: any) => [a.clusterName, a.hard]), [['member1', { cpu: '1' }], ['member2', { cpu: '1' }]]);
    // the table kubectl prints has the columns Karmada's CRD declares; nothing is used yet
    assert.match(await karmada.ok(['get', 'federatedresourcequotas', '-n', ns]), /^NAME\s+OVERALL\s+OVERALL_USED\nteam\s+\{"cpu":"2"\}\s*\n$/);
  });

  test('overallUsed sums what the members use', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: policy + '---\n' + deployment('web', 2) });
    const f = await eventually(async () => {
      const f = await frq();
      const used = (f.status?.aggregatedStatus ?? []).map((a: any) => a.used?.cpu);
      return used.join() === '500m,500m' && f.status.overallUsed?.cpu === '1' ? f : undefined;
    }, 'overallUsed of 1 CPU, 500m in each member', 30_000, 200);
    assert.deepEqual(f.status.overallUsed, { cpu: '1' });
    for (const m of ['member1', 'member2']) assert.deepEqual((await memberQuota(m)).status.used, { cpu: '500m' }, `${m}'s quota counts its pod`);
  });

  test('a Deployment that would exceed the quota is refused scheduling, and schedules once scaled back', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: deployment('big', 3) });
    const cond = await eventually(async () => {
      const c = await scheduled('big');
      return c?.reason === 'QuotaExceeded' ? c : undefined;
    }, 'Scheduled=False QuotaExceeded on big', 30_000, 200);
    assert.equal(cond.status, 'False');
    assert.equal(cond.message, `admission webhook "resourcebinding.karmada.io" denied the request: FederatedResourceQuota(${ns}/team) exceeded for resource cpu: requested sum 2500m, limit 2.`);
    const events = await karmada.ok(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=big']);
    assert.match(events, /ScheduleBindingFailed.*exceeded for resource cpu: requested sum 2500m, limit 2\./);
    for (const m of ['member1', 'member2']) assert.equal((await members.run(['--context', m, 'get', 'deploy', 'big', '-n', ns])).code, 1, `${m} has no big`);
    assert.equal((await frq()).status.overallUsed.cpu, '1', 'the refused replicas are not counted');

    await karmada.ok(['scale', 'deploy', 'big', '-n', ns, '--replicas', '2']);
    await eventually(async () => (await scheduled('big'))?.status === 'True', 'big scheduled after scaling to 2', 30_000, 200);
    await eventually(async () => {
      const f = await frq();
      return f.status.overallUsed?.cpu === '2' && (f.status.aggregatedStatus ?? []).every((a: any) => a.used?.cpu === '1');
    }, 'overallUsed 2 CPU, each member at its 1 CPU', 30_000, 200);
  });

  test('raising a scheduled Deployment\'s requests past the quota is refused: the binding keeps the old ones', async () => {
    await karmada.ok(['set', 'resources', 'deploy', 'web', '-n', ns, '--requests=cpu=600m']);
    await eventually(async () => {
      const events = await karmada.ok(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=web']);
      return /ApplyPolicyFailed.*admission webhook "resourcebinding\.karmada\.io" denied the request: FederatedResourceQuota\(team-a\/team\) exceeded for resource cpu: requested sum 2200m, limit 2\./.test(events);
    }, 'ApplyPolicyFailed on web naming the quota', 30_000, 200);
    const rb = await yamlOf(karmada, ['get', 'rb', 'web-deployment', '-n', ns]);
    assert.deepEqual(rb.spec.replicaRequirements.resourceRequest, { cpu: '500m', memory: '64Mi' });
    assert.equal((await frq()).status.overallUsed.cpu, '2');
    // put back: the template fits again and the detector's update goes through
    await karmada.ok(['set', 'resources', 'deploy', 'web', '-n', ns, '--requests=cpu=500m']);
    const rv = Number((await yamlOf(karmada, ['get', 'deploy', 'web', '-n', ns])).metadata.resourceVersion);
    await eventually(async () => Number((await yamlOf(karmada, ['get', 'rb', 'web-deployment', '-n', ns])).spec.resource.resourceVersion) >= rv, 'the binding follows the template again', 20_000, 200);
  });

  test('deleting a Deployment gives its share back (the enforcement controller recounts from the bindings)', async () => {
    await karmada.ok(['delete', 'deploy', 'big', '-n', ns]);
    await eventually(async () => (await frq()).status.overallUsed?.cpu === '1', 'overallUsed back to 1 CPU', 30_000, 200);
  });

  test('scaling up past the quota is blocked: the members keep what they run', async () => {
    await karmada.ok(['scale', 'deploy', 'web', '-n', ns, '--replicas', '5']);
    const cond = await eventually(async () => {
      const c = await scheduled('web');
      return c?.reason === 'QuotaExceeded' ? c : undefined;
    }, 'Scheduled=False QuotaExceeded on web', 30_000, 200);
    assert.match(cond.message, /exceeded for resource cpu: requested sum 2500m, limit 2\.$/);
    const rb = await yamlOf(karmada, ['get', 'rb', 'web-deployment', '-n', ns]);
    assert.deepEqual(rb.spec.clusters, [{ name: 'member1', replicas: 1 }, { name: 'member2', replicas: 1 }]);
    await karmada.ok(['scale', 'deploy', 'web', '-n', ns, '--replicas', '2']);
    await eventually(async () => (await scheduled('web'))?.status === 'True', 'web scheduled again at 2', 30_000, 200);
  });

  test('the scheduler\'s estimator honours a member\'s ResourceQuota', async () => {
    const other = 'team-b';
    await karmada.ok(['create', 'namespace', other]);
    // member1 may run 1 CPU of team-b; member2 is not limited
    await karmada.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: policy.karmada.io/v1alpha1
kind: FederatedResourceQuota
metadata: {name: team, namespace: ${other}}
spec:
  overall: {cpu: "10"}
  staticAssignments:
  - {clusterName: member1, hard: {cpu: "1"}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: apps, namespace: ${other}}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment}
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}
`,
    });
    await eventually(async () => (await yamlOf(members, ['--context', 'member1', 'get', 'resourcequota', 'team', '-n', other])).status?.used, "member1's quota counted", 20_000, 200);
    // 4 x 500m: member1's quota admits 2, so the aggregated placement takes member2 alone
    await karmada.ok(['apply', '-f', '-'], { stdin: deployment('est', 4).replaceAll(`namespace: ${ns}`, `namespace: ${other}`) });
    const rb = await eventually(async () => {
      const rb = await yamlOf(karmada, ['get', 'rb', 'est-deployment', '-n', other]);
      return rb.spec.clusters?.length ? rb : undefined;
    }, 'est scheduled', 30_000, 200);
    assert.equal(rb.spec.replicaRequirements.namespace, other, 'ResourceQuotaEstimate is on in the playground');
    assert.deepEqual(rb.spec.clusters, [{ name: 'member2', replicas: 4 }]);
  });

  test('dropping an assignment removes that member\'s ResourceQuota; deleting the FRQ removes the rest', async () => {
    await karmada.ok(['patch', 'federatedresourcequota', 'team', '-n', ns, '--type', 'merge', '-p', JSON.stringify({ spec: { staticAssignments: [{ clusterName: 'member1', hard: { cpu: '1' } }] } })]);
    await eventually(async () => (await members.run(['--context', 'member2', 'get', 'resourcequota', 'team', '-n', ns])).code === 1, 'member2 quota gone', 20_000, 200);
    assert.equal((await members.run(['--context', 'member1', 'get', 'resourcequota', 'team', '-n', ns])).code, 0);
    await karmada.ok(['delete', 'federatedresourcequota', 'team', '-n', ns]);
    await eventually(async () => (await members.run(['--context', 'member1', 'get', 'resourcequota', 'team', '-n', ns])).code === 1, 'member1 quota gone', 20_000, 200);
  });
});
