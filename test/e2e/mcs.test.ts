// Multi-cluster services as a user drives them with kubectl (Karmada's test/e2e mcs_test.go and
// multiclusterservice_test.go): a Deployment and Service in member1, exported and imported into
// member2 (ServiceExport/ServiceImport), or shared with a MultiClusterService; member2 holds
// EndpointSlices with member1's pod IPs, they follow scaling, and go when member1 leaves.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { eventually, type Kubectl } from '../support/kubectl.js';
import { startPlayground, type PlaygroundEnv } from '../support/playground.js';

const config = parsePlaygroundConfig({ members: ['member1', 'member2'].map((name) => ({ name, nodes: [{ count: 1, cpu: 8, memory: '16Gi' }] })) });

let env: PlaygroundEnv | undefined;
let karmada: Kubectl;
let members: Kubectl;
before(async () => {
  env = await startPlayground('mcs', { config, storage: 'memory', timing: { podStartupMs: 50 } });
  ({ karmada, members } = env);
});
after(() => env?.stop());

const on = (member: string, args: string[]) => members.ok(['--context', member, ...args]);
const apply = (yaml: string) => karmada.ok(['apply', '-f', '-'], { stdin: yaml });

/** the pod IPs of the app in a member, sorted */
async function podIPs(member: string, app: string): Promise<string[]> {
  const pods = JSON.parse(await on(member, ['get', 'pods', '-l', `app=${app}`, '-o', 'json'])) as { items: { status?: { podIP?: string; conditions?: { type: string; status: string }[] } }[] };
  return pods.items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).map((p) => p.status!.podIP!).sort();
}

/** the ready addresses of the EndpointSlices a member holds for a service-name label, sorted */
async function sliceIPs(member: string, serviceName: string): Promise<string[]> {
  const out = await on(member, ['get', 'endpointslices', '-l', `kubernetes.io/service-name=${serviceName}`, '-o', 'jsonpath={range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]}{"\\n"}{end}']);
  return out.split('\n').filter(Boolean).sort();
}

const app = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: 80}]
`;
const policy = (name: string, resources: string, clusters: string[]) => `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ${name}}
spec:
  resourceSelectors: ${resources}
  placement: {clusterAffinity: {clusterNames: [${clusters.join(', ')}]}}
`;

/** waits until member2's slices for serviceName list exactly member1's ready pod IPs (count of them) */
async function importedMatches(serviceName: string, appName: string, count: number): Promise<string[]> {
  return (await eventually(async () => {
    const want = await podIPs('member1', appName);
    const got = await sliceIPs('member2', serviceName);
    return want.length === count && JSON.stringify(want) === JSON.stringify(got) ? got : undefined;
  }, `member2's EndpointSlices of ${serviceName} to list member1's ${count} pod IPs`, 30_000))!;
}

describe('ServiceExport and ServiceImport', () => {
  test('member2 imports member1 endpoints through derived-<svc>; they follow scaling', async () => {
    await apply(app('serve', 2));
    await apply(`apiVersion: multicluster.x-k8s.io/v1alpha1
kind: ServiceExport
metadata: {name: serve}
---
apiVersion: multicluster.x-k8s.io/v1alpha1
kind: ServiceImport
metadata: {name: serve}
spec:
  type: ClusterSetIP
  ports: [{name: http, port: 80, protocol: TCP}]
`);
    await apply(policy('serve-provider', '[{apiVersion: apps/v1, kind: Deployment, name: serve}, {apiVersion: v1, kind: Service, name: serve}, {apiVersion: multicluster.x-k8s.io/v1alpha1, kind: ServiceExport, name: serve}]', ['member1']));
    await apply(policy('serve-consumer', '[{apiVersion: multicluster.x-k8s.io/v1alpha1, kind: ServiceImport, name: serve}]', ['member2']));

    const derived = await eventually(() => members.run(['--context', 'member2', 'get', 'service', 'derived-serve', '-o', 'jsonpath={.spec.type} {.spec.ports[0].port}']).then((r) => (r.code === 0 ? r.stdout : undefined)), 'derived-serve in member2', 30_000);
    assert.equal(derived, 'ClusterIP 80');
    const ips = await importedMatches('derived-serve', 'serve', 2);
    assert.equal(ips.length, 2);
    const labels = JSON.parse(await on('member2', ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=derived-serve', '-o', 'jsonpath={.items[0].metadata.labels}']));
    assert.equal(labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.karmada.io');
    const names = await on('member2', ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=derived-serve', '-o', 'name']);
    assert.match(names, /endpointslice\.discovery\.k8s\.io\/imported-member1-serve-/);

    await karmada.ok(['scale', 'deployment', 'serve', '--replicas', '3']);
    await importedMatches('derived-serve', 'serve', 3);
  });
});

describe('a ServiceExport deleted', () => {
  test("takes member1's endpoints away from the importers, and the control plane's copies", async () => {
    await apply(app('gone', 1));
    await apply(`apiVersion: multicluster.x-k8s.io/v1alpha1
kind: ServiceExport
metadata: {name: gone}
---
apiVersion: multicluster.x-k8s.io/v1alpha1
kind: ServiceImport
metadata: {name: gone}
spec:
  type: ClusterSetIP
  ports: [{name: http, port: 80, protocol: TCP}]
`);
    await apply(policy('gone-provider', '[{apiVersion: apps/v1, kind: Deployment, name: gone}, {apiVersion: v1, kind: Service, name: gone}, {apiVersion: multicluster.x-k8s.io/v1alpha1, kind: ServiceExport, name: gone}]', ['member1']));
    await apply(policy('gone-consumer', '[{apiVersion: multicluster.x-k8s.io/v1alpha1, kind: ServiceImport, name: gone}]', ['member2']));
    await importedMatches('derived-gone', 'gone', 1);
    await karmada.ok(['delete', 'serviceexport', 'gone']);
    await eventually(async () => (await sliceIPs('member2', 'derived-gone')).length === 0, 'derived-gone without endpoints in member2', 30_000);
    await eventually(async () => (await karmada.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=derived-gone', '-o', 'name'])).trim() === '', "the control plane's imported slices of gone deleted");
    assert.equal((await karmada.ok(['get', 'works', '-A', '-l', 'endpointslice.karmada.io/name=gone', '-o', 'name'])).trim(), '');
  });
});

describe('MultiClusterService', () => {
  test('member1 provides, member2 consumes: its EndpointSlices follow member1 pods', async () => {
    await apply(app('mweb', 2));
    await apply(policy('mweb', '[{apiVersion: apps/v1, kind: Deployment, name: mweb}]', ['member1']));
    await apply(`apiVersion: networking.karmada.io/v1alpha1
kind: MultiClusterService
metadata: {name: mweb}
spec:
  types: [CrossCluster]
  providerClusters: [{name: member1}]
  consumerClusters: [{name: member2}]
`);
    await eventually(() => members.run(['--context', 'member2', 'get', 'service', 'mweb']).then((r) => r.code === 0), 'the Service in the consumer member2', 30_000);
    const ips = await importedMatches('mweb', 'mweb', 2);
    assert.equal(ips.length, 2);
    const conditions = await eventually(async () => {
      const c = JSON.parse(await karmada.ok(['get', 'multiclusterservice', 'mweb', '-o', 'jsonpath={.status.conditions}']) || '[]') as { type: string; status: string; reason: string }[];
      return c.length === 2 ? c : undefined;
    }, 'the MultiClusterService conditions');
    assert.deepEqual(conditions!.map((c) => [c.type, c.status, c.reason]).sort(), [['EndpointSliceDispatched', 'True', 'EndpointSliceDispatchedSucceed'], ['ServiceApplied', 'True', 'ServiceAppliedSucceed']]);

    await karmada.ok(['scale', 'deployment', 'mweb', '--replicas', '1']);
    await importedMatches('mweb', 'mweb', 1);

    // a Remedy's TrafficControl on member1 takes its endpoints away from member2, until it goes
    await apply(`apiVersion: remedy.karmada.io/v1alpha1
kind: Remedy
metadata: {name: member1-traffic}
spec:
  clusterAffinity: {clusterNames: [member1]}
  actions: [TrafficControl]
`);
    await eventually(async () => (await karmada.ok(['get', 'cluster', 'member1', '-o', 'jsonpath={.status.remedyActions}'])).includes('TrafficControl'), 'member1 under TrafficControl');
    await eventually(async () => (await sliceIPs('member2', 'mweb')).length === 0, "member1's endpoints gone from member2 under TrafficControl");
    await karmada.ok(['delete', 'remedy', 'member1-traffic']);
    await importedMatches('mweb', 'mweb', 1);
  });
});

describe('a provider leaving', () => {
  test('unjoining member1 removes its endpoints from member2', async () => {
    await karmada.ok(['delete', 'cluster', 'member1', '--wait=false']);
    await eventually(async () => (await sliceIPs('member2', 'derived-serve')).length === 0 && (await sliceIPs('member2', 'mweb')).length === 0, "member1's endpoints gone from member2", 30_000);
  });
});
