// The heart of karmada-ts, as a user sees it: kubectl against a started playground (control plane
// plus simulated members), Karmada's own manifests, and what lands in each member.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { eventually, type Kubectl } from '../support/kubectl.js';
import { startPlayground, type PlaygroundEnv } from '../support/playground.js';

const config = parsePlaygroundConfig({
  members: ['member1', 'member2', 'member3'].map((name, i) => ({
    name,
    region: i < 2 ? 'us-east-1' : 'eu-west-1',
    nodes: [{ count: 2, cpu: 4, memory: '16Gi' }],
  })),
});

let karmada: Kubectl;
let members: Kubectl;

/** kubectl on one member (contexts are named after the members) */
const on = (member: string, args: string[], stdin?: string) => members.ok(['--context', member, ...args], stdin ? { stdin } : {});
const tryOn = (member: string, args: string[]) => members.run(['--context', member, ...args]);
const json = async (member: string, args: string[]) => JSON.parse(await on(member, [...args, '-o', 'json']));

let env: PlaygroundEnv | undefined;
before(async () => {
  env = await startPlayground('prop', { config, storage: 'memory', timing: { podStartupMs: 100 } });
  ({ karmada, members } = env);
});

after(() => env?.stop());

// Karmada's samples/nginx, as a user writes it
const nginx = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels: {app: nginx}
spec:
  replicas: 2
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - image: ${image}
        name: nginx
`;
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
      clusterNames: [member1, member2]
    replicaScheduling:
      replicaDivisionPreference: Weighted
      replicaSchedulingType: Divided
      weightPreference:
        staticWeightList:
          - targetCluster: {clusterNames: [member1]}
            weight: 1
          - targetCluster: {clusterNames: [member2]}
            weight: 1
`;
const nginxOverride = `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata:
  name: nginx-override
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
  overrideRules:
    - targetCluster:
        clusterNames: [member1]
      overriders:
        labelsOverrider:
          - operator: add
            value: {env: member1-only}
        annotationsOverrider:
          - operator: add
            value: {note: from-override}
`;

describe('propagation, end to end', () => {
  test('the nginx sample: one replica in each of member1 and member2, overrides applied, 2/2 ready on the control plane', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: `${nginx('nginx:1.25')}---\n${nginxPolicy}---\n${nginxOverride}` });
    await eventually(async () => /^nginx\s+2\/2\s/m.test(await karmada.ok(['get', 'deploy', 'nginx'])), 'control-plane Deployment 2/2 ready', 30_000);
    const m1 = await json('member1', ['get', 'deploy', 'nginx']);
    const m2 = await json('member2', ['get', 'deploy', 'nginx']);
    assert.equal(m1.spec.replicas, 1);
    assert.equal(m2.spec.replicas, 1);
    assert.equal(m1.metadata.labels.env, 'member1-only');
    assert.equal(m1.metadata.annotations.note, 'from-override');
    assert.equal(m2.metadata.labels.env, undefined, 'the override targets member1 only');
    assert.notEqual((await tryOn('member3', ['get', 'deploy', 'nginx'])).code, 0, 'member3 is not in the placement');
    const rb = JSON.parse(await karmada.ok(['get', 'rb', 'nginx-deployment', '-o', 'json']));
    assert.deepEqual(rb.spec.clusters.map((c: { name: string; replicas: number }) => [c.name, c.replicas]).sort(), [['member1', 1], ['member2', 1]]);
    assert.ok(rb.status.conditions.some((c: { type: string; status: string }) => c.type === 'Scheduled' && c.status === 'True'));
    assert.ok(rb.status.conditions.some((c: { type: string; status: string }) => c.type === 'FullyApplied' && c.status === 'True'));
    const events = await karmada.ok(['get', 'events', '--field-selector', 'involvedObject.name=nginx', '-o', 'jsonpath={.items[*].reason}']);
    for (const reason of ['ApplyPolicySucceed', 'ScheduleBindingSucceed', 'SyncSucceed', 'AggregateStatusSucceed']) assert.match(events, new RegExp(reason));
  });

  test('changing the template image updates both members', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: nginx('nginx:1.26') });
    for (const m of ['member1', 'member2']) {
      await eventually(async () => (await on(m, ['get', 'deploy', 'nginx', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])) === 'nginx:1.26', `${m} runs nginx:1.26`, 20_000);
    }
  });

  test('deleting the Deployment in a member brings it back', async () => {
    const before = (await json('member2', ['get', 'deploy', 'nginx'])).metadata.uid;
    await on('member2', ['delete', 'deploy', 'nginx']);
    await eventually(async () => {
      const r = await tryOn('member2', ['get', 'deploy', 'nginx', '-o', 'jsonpath={.metadata.uid}']);
      return r.code === 0 && r.stdout !== before;
    }, 'the Deployment back in member2', 20_000);
  });

  test('a template that matches no policy stays put, and is propagated once a policy matches', async () => {
    // the detector's look at the new template (its queue key) is the signal that it found no policy
    const detector = env!.pg.controlPlane.controllerManager!.manager.controllerNamed('resource-detector')!;
    const looked = detector.nextReconcile('v1|ConfigMap|default|later');
    await karmada.ok(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: later, namespace: default}\ndata: {k: v}\n' });
    await looked;
    assert.notEqual((await tryOn('member3', ['get', 'cm', 'later'])).code, 0);
    assert.notEqual((await karmada.run(['get', 'rb', 'later-configmap'])).code, 0, 'no binding without a policy');
    await karmada.ok(['apply', '-f', '-'], {
      stdin: 'apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: later}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: ConfigMap, name: later}]\n  placement: {clusterAffinity: {clusterNames: [member3]}}\n',
    });
    await eventually(async () => (await tryOn('member3', ['get', 'cm', 'later', '-o', 'jsonpath={.data.k}'])).stdout === 'v', 'later in member3', 20_000);
  });

  test('a ConfigMap referenced by a propagated Deployment follows it with propagateDeps', async () => {
    await karmada.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {mode: prod}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: app
        image: busybox
        envFrom: [{configMapRef: {name: app-config}}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: app}
spec:
  propagateDeps: true
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: app}]
  placement: {clusterAffinity: {clusterNames: [member3]}}
`,
    });
    await eventually(async () => (await tryOn('member3', ['get', 'cm', 'app-config', '-o', 'jsonpath={.data.mode}'])).stdout === 'prod', 'app-config in member3', 20_000);
    assert.notEqual((await tryOn('member1', ['get', 'cm', 'app-config'])).code, 0, 'only where the workload went');
  });

  test('a new namespace appears in every member', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-blue}\n' });
    for (const m of ['member1', 'member2', 'member3']) {
      await eventually(async () => (await tryOn(m, ['get', 'ns', 'team-blue'])).code === 0, `team-blue in ${m}`, 20_000);
    }
  });

  test('a cluster-scoped CRD and its custom resources propagate with a ClusterPropagationPolicy', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: guestbooks.webapp.example.com}
spec:
  group: webapp.example.com
  scope: Cluster
  names: {plural: guestbooks, singular: guestbook, kind: Guestbook}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
`;
    await karmada.ok(['apply', '-f', '-'], {
      stdin: `${crd}---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: guestbooks}
spec:
  resourceSelectors:
  - {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, name: guestbooks.webapp.example.com}
  - {apiVersion: webapp.example.com/v1, kind: Guestbook}
  placement: {clusterAffinity: {clusterNames: [member1, member2]}}
`,
    });
    await karmada.ok(['wait', '--for=condition=Established', 'crd/guestbooks.webapp.example.com', '--timeout=30s']);
    for (const m of ['member1', 'member2']) {
      await eventually(async () => (await tryOn(m, ['get', 'crd', 'guestbooks.webapp.example.com'])).code === 0, `the CRD in ${m}`, 20_000);
    }
    await karmada.ok(['apply', '-f', '-'], { stdin: 'apiVersion: webapp.example.com/v1\nkind: Guestbook\nmetadata: {name: book}\nspec: {size: 3}\n' });
    for (const m of ['member1', 'member2']) {
      await eventually(async () => (await tryOn(m, ['get', 'guestbook', 'book', '-o', 'jsonpath={.spec.size}'])).stdout === '3', `the Guestbook in ${m}`, 20_000);
    }
  });

  test('an existing member resource is not overwritten under Abort, and is under Overwrite', async () => {
    await on('member1', ['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned, namespace: default}\ndata: {who: member}\n');
    const policy = (resolution: string) =>
      `apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: owned}\nspec:\n  conflictResolution: ${resolution}\n  resourceSelectors: [{apiVersion: v1, kind: ConfigMap, name: owned}]\n  placement: {clusterAffinity: {clusterNames: [member1]}}\n`;
    await karmada.ok(['apply', '-f', '-'], { stdin: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned}\ndata: {who: karmada}\n---\n${policy('Abort')}` });
    await eventually(async () => {
      const works = JSON.parse(await karmada.ok(['get', 'work', '-n', 'karmada-es-member1', '-o', 'json'])).items as { spec: { workload: { manifests: { metadata: { name: string } }[] } }; status?: { conditions?: { type: string; status: string; message?: string }[] } }[];
      const w = works.find((x) => x.spec.workload.manifests.some((m) => m.metadata.name === 'owned'));
      return w?.status?.conditions?.some((c) => c.type === 'Applied' && c.status === 'False');
    }, 'the Work reports Applied=False', 20_000);
    assert.equal(await on('member1', ['get', 'cm', 'owned', '-o', 'jsonpath={.data.who}']), 'member', 'Abort leaves the member object alone');
    await karmada.ok(['apply', '-f', '-'], { stdin: policy('Overwrite') });
    await eventually(async () => (await on('member1', ['get', 'cm', 'owned', '-o', 'jsonpath={.data.who}'])) === 'karmada', 'Overwrite takes it over', 20_000);
  });

  test('a PodDisruptionBudget has a real status in each member (the simulators run a disruption controller), summed on the control plane', async () => {
    await karmada.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: nginx-pdb}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: nginx}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: nginx-pdb}
spec:
  resourceSelectors: [{apiVersion: policy/v1, kind: PodDisruptionBudget, name: nginx-pdb}]
  placement: {clusterAffinity: {clusterNames: [member1, member2]}}
`,
    });
    const counts = (s: { currentHealthy?: number; desiredHealthy?: number; expectedPods?: number; disruptionsAllowed?: number } | undefined) =>
      s ? [s.expectedPods, s.currentHealthy, s.desiredHealthy, s.disruptionsAllowed] : undefined;
    for (const m of ['member1', 'member2']) {
      await eventually(async () => {
        const r = await tryOn(m, ['get', 'pdb', 'nginx-pdb', '-o', 'json']);
        return r.code === 0 && JSON.stringify(counts(JSON.parse(r.stdout).status)) === JSON.stringify([1, 1, 1, 0]);
      }, `nginx-pdb in ${m}: 1 expected, 1 healthy, 1 desired, 0 disruptions allowed`, 20_000);
    }
    await eventually(async () => {
      const pdb = JSON.parse(await karmada.ok(['get', 'pdb', 'nginx-pdb', '-o', 'json']));
      return JSON.stringify(counts(pdb.status)) === JSON.stringify([2, 2, 2, 0]);
    }, 'the control plane PDB sums the members', 20_000);
  });

  test('a NodePort Service gets its ClusterIP and NodePort from the control plane; every member keeps that NodePort with a ClusterIP of its own', async () => {
    await karmada.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: nginx}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web-np}
spec:
  resourceSelectors: [{apiVersion: v1, kind: Service, name: web-np}]
  placement: {clusterAffinity: {clusterNames: [member1, member2]}}
`,
    });
    const template = JSON.parse(await karmada.ok(['get', 'svc', 'web-np', '-o', 'json']));
    assert.match(template.spec.clusterIP, /^10\.(9[6-9]|1[01][0-9])\.\d+\.\d+$/, 'the control plane allocated a ClusterIP');
    const nodePort = template.spec.ports[0].nodePort;
    assert.ok(nodePort >= 30000 && nodePort <= 32767, `the control plane allocated a NodePort (${nodePort})`);
    for (const m of ['member1', 'member2']) {
      const svc = await eventually(async () => {
        const r = await tryOn(m, ['get', 'svc', 'web-np', '-o', 'json']);
        return r.code === 0 ? JSON.parse(r.stdout) : undefined;
      }, `web-np in ${m}`, 20_000);
      assert.equal(svc.spec.ports[0].nodePort, nodePort, `${m} keeps the control plane's NodePort`);
      assert.match(svc.spec.clusterIP, /^10\./, `${m} allocated its own ClusterIP`);
    }
  });

  test('deleting the template removes it everywhere', async () => {
    await karmada.ok(['delete', 'deploy', 'nginx']);
    for (const m of ['member1', 'member2']) {
      await eventually(async () => (await tryOn(m, ['get', 'deploy', 'nginx'])).code !== 0, `nginx gone from ${m}`, 20_000);
    }
    await eventually(async () => (await karmada.run(['get', 'rb', 'nginx-deployment'])).code !== 0, 'the binding is gone', 20_000);
  });
});
