// Override policies end to end (issue 7), as a user sees them: one Deployment and its ConfigMap
// propagated to three members in two regions, ClusterOverridePolicies and OverridePolicies that pick
// clusters by region, label and name, and what each member ends up running, read back with kubectl.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { eventually, type Kubectl } from '../support/kubectl.js';
import { startPlayground, type PlaygroundEnv } from '../support/playground.js';

// member1 and member2 share a region; member2 is the canary.
const config = parsePlaygroundConfig({
  members: [
    { name: 'member1', region: 'us-east-1', labels: { tier: 'stable' }, nodes: [{ count: 2, cpu: 4, memory: '16Gi' }] },
    { name: 'member2', region: 'us-east-1', labels: { tier: 'canary' }, nodes: [{ count: 2, cpu: 4, memory: '16Gi' }] },
    { name: 'member3', region: 'eu-west-1', labels: { tier: 'stable' }, nodes: [{ count: 2, cpu: 4, memory: '16Gi' }] },
  ],
});
const memberNames = ['member1', 'member2', 'member3'] as const;
type Member = (typeof memberNames)[number];

let karmada: Kubectl;
let members: Kubectl;

/* eslint-disable @typescript-eslint/no-explicit-any -- objects read back from kubectl */
const on = (member: Member, args: string[]) => members.ok(['--context', member, ...args]);
/** a member's object, read as a user would: kubectl get -o yaml */
const yamlOf = async (member: Member, args: string[]): Promise<any> => YAML.parse(await on(member, [...args, '-o', 'yaml']));
const apply = (manifest: string) => karmada.ok(['apply', '-f', '-'], { stdin: manifest });
const deployOf = (m: Member) => yamlOf(m, ['get', 'deploy', 'web']);
const containerOf = (deploy: any, name: string) => deploy.spec.template.spec.containers.find((c: { name: string }) => c.name === name);
const envOf = (deploy: any) => containerOf(deploy, 'web').env.find((e: { name: string }) => e.name === 'STAGE')?.value;
const embeddedOf = async (m: Member) => YAML.parse((await yamlOf(m, ['get', 'cm', 'web-config'])).data['app.yaml']);

async function workOf(member: Member, name: string): Promise<any> {
  const list = YAML.parse(await karmada.ok(['get', 'work', '-n', `karmada-es-${member}`, '-o', 'yaml']));
  return list.items.find((w: any) => w.spec.workload.manifests[0].metadata.name === name && w.spec.workload.manifests[0].kind === 'Deployment');
}
const appliedPolicies = (work: any, annotation: string): string[] => JSON.parse(work?.metadata.annotations?.[annotation] ?? '[]').map((x: { policyName: string }) => x.policyName);
const ClusterOverrides = 'policy.karmada.io/applied-cluster-overrides';
const Overrides = 'policy.karmada.io/applied-overrides';

/** waits until every member's Deployment passes `check` (returns why not, or undefined) */
async function eachDeploy(what: string, check: (m: Member, d: any) => string | undefined, timeoutMs = 30_000): Promise<void> {
  let why: string | undefined;
  try {
    await eventually(async () => {
      for (const m of memberNames) {
        why = check(m, await deployOf(m).catch((e: Error) => ({ error: e.message })));
        if (why) return false;
      }
      return true;
    }, what, timeoutMs, 300);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last: ${why}`);
  }
}

let env: PlaygroundEnv | undefined;
before(async () => {
  env = await startPlayground('ovr', { config, storage: 'memory', timing: { podStartupMs: 100 } });
  ({ karmada, members } = env);
});

after(() => env?.stop());

const workload = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data:
  app.yaml: |
    log:
      level: info
    region: none
  settings.json: '{"cache":{"ttl":60}}'
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
  annotations: {scratch: delete-me}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
      - name: setup
        image: quay.io/org/setup:v1
      containers:
      - name: web
        image: nginx:1.25
        args: [--port=8080]
        env:
        - {name: STAGE, value: template}
      - name: sidecar
        image: docker.io/library/busybox:1.36
        command: [sleep, "3600"]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web}
  - {apiVersion: v1, kind: ConfigMap, name: web-config}
  placement:
    clusterAffinity:
      clusterNames: [member1, member2, member3]
    replicaScheduling:
      replicaSchedulingType: Duplicated
`;

// No resourceSelectors: every resource; the image registry follows the cluster's region.
const regionalRegistry = `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: regional-registry}
spec:
  overrideRules:
  - targetCluster:
      fieldSelector:
        matchExpressions: [{key: region, operator: In, values: [us-east-1]}]
    overriders:
      imageOverrider:
      - {component: Registry, operator: replace, value: registry.us.example.com}
  - targetCluster:
      fieldSelector:
        matchExpressions: [{key: region, operator: NotIn, values: [us-east-1]}]
    overriders:
      imageOverrider:
      - {component: Registry, operator: replace, value: registry.eu.example.com}
`;

// A cluster-wide default for STAGE, which the OverridePolicy below overrides on two clusters.
const stageDefault = `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: stage-default}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web, namespace: default}
  overrideRules:
  - overriders:
      plaintext:
      - {path: /spec/template/spec/containers/0/env/0/value, operator: replace, value: cluster-default}
`;

const webEnv = (member1Stage: string) => `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: web-env}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web}
  overrideRules:
  - targetCluster: {clusterNames: [member1]}
    overriders:
      plaintext:
      - {path: /spec/template/spec/containers/0/env/0/value, operator: replace, value: ${member1Stage}}
  - targetCluster:
      labelSelector: {matchLabels: {tier: canary}}
    overriders:
      plaintext:
      - {path: /spec/template/spec/containers/0/env/0/value, operator: replace, value: green}
`;

// Args, command, tag and repository per cluster; labels and annotations with the in-rule order.
const webTuning = `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: web-tuning}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web}
  overrideRules:
  - targetCluster: {clusterNames: [member2]}
    overriders:
      argsOverrider:
      - {containerName: web, operator: add, value: [--verbose]}
      imageOverrider:
      - {component: Tag, operator: remove, predicate: {path: /spec/template/spec/containers/1/image}}
      - {component: Repository, operator: add, value: -debug, predicate: {path: /spec/template/spec/initContainers/0/image}}
  - targetCluster:
      labelSelector: {matchLabels: {tier: stable}}
      exclude: [member3]
    overriders:
      argsOverrider:
      - {containerName: web, operator: remove, value: [--port=8080]}
      imageOverrider:
      - {component: Repository, operator: replace, value: mirror/busybox, predicate: {path: /spec/template/spec/containers/1/image}}
      - {component: Registry, operator: remove, predicate: {path: /spec/template/spec/initContainers/0/image}}
  - targetCluster:
      fieldSelector:
        matchExpressions: [{key: region, operator: In, values: [eu-west-1]}]
    overriders:
      imageOverrider:
      - {component: Tag, operator: replace, value: "1.27", predicate: {path: /spec/template/spec/containers/0/image}}
      - {component: Tag, operator: add, value: "-alpine", predicate: {path: /spec/template/spec/containers/0/image}}
      - {component: Registry, operator: add, value: ":5000", predicate: {path: /spec/template/spec/initContainers/0/image}}
      commandOverrider:
      - {containerName: sidecar, operator: remove, value: ["3600"]}
      - {containerName: sidecar, operator: add, value: ["7200"]}
      labelsOverrider:
      - {operator: add, value: {ordered: from-labels}}
      annotationsOverrider:
      - {operator: remove, value: {scratch: ""}}
      # plaintext runs after labelsOverrider within a rule, so the label exists to be replaced
      plaintext:
      - {path: /metadata/labels/ordered, operator: replace, value: from-plaintext}
`;

// Priority before name: the name selector (MatchName) is applied after the label selector one,
// although its name sorts first, so it wins.
const priorityPolicies = `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: aaa-by-name}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web}
  overrideRules:
  - overriders:
      annotationsOverrider:
      - {operator: add, value: {owner: by-name}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: zzz-by-label}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {app: web}}}
  overrideRules:
  - overriders:
      annotationsOverrider:
      - {operator: add, value: {owner: by-label}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: namespace-wide}
spec:
  overrideRules:
  - overriders:
      labelsOverrider:
      - {operator: add, value: {team: web}}
`;

// The embedded YAML (and JSON) of the ConfigMap, per cluster.
const webConfig = `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: web-config}
spec:
  resourceSelectors:
  - {apiVersion: v1, kind: ConfigMap, name: web-config}
  overrideRules:
  - targetCluster: {clusterNames: [member1]}
    overriders:
      fieldOverrider:
      - fieldPath: /data/app.yaml
        yaml:
        - {subPath: /region, operator: replace, value: us-east-1a}
  - targetCluster: {clusterNames: [member2]}
    overriders:
      fieldOverrider:
      - fieldPath: /data/app.yaml
        yaml:
        - {subPath: /region, operator: replace, value: us-east-1b}
        - {subPath: /log/level, operator: replace, value: debug}
        - {subPath: /log/format, operator: add, value: json}
  - targetCluster: {clusterNames: [member3]}
    overriders:
      fieldOverrider:
      - fieldPath: /data/app.yaml
        yaml:
        - {subPath: /region, operator: replace, value: eu-west-1a}
        - {subPath: /log, operator: remove}
      - fieldPath: /data/settings.json
        json:
        - {subPath: /cache/ttl, operator: replace, value: 600}
`;

const expected = {
  registry: { member1: 'registry.us.example.com', member2: 'registry.us.example.com', member3: 'registry.eu.example.com' },
  web: { member1: 'registry.us.example.com/nginx:1.25', member2: 'registry.us.example.com/nginx:1.25', member3: 'registry.eu.example.com/nginx:1.27-alpine' },
  sidecar: { member1: 'registry.us.example.com/mirror/busybox:1.36', member2: 'registry.us.example.com/library/busybox', member3: 'registry.eu.example.com/library/busybox:1.36' },
  setup: { member1: 'org/setup:v1', member2: 'registry.us.example.com/org/setup-debug:v1', member3: 'registry.eu.example.com:5000/org/setup:v1' },
  args: { member1: [], member2: ['--port=8080', '--verbose'], member3: ['--port=8080'] },
  command: { member1: ['sleep', '3600'], member2: ['sleep', '3600'], member3: ['sleep', '7200'] },
  stage: { member1: 'blue', member2: 'green', member3: 'cluster-default' },
};

describe('override policies, end to end', () => {
  test('the members carry their region and labels', async () => {
    const wide = await karmada.ok(['get', 'clusters', '-o', 'wide']);
    for (const [m, region] of [['member1', 'us-east-1'], ['member2', 'us-east-1'], ['member3', 'eu-west-1']]) {
      assert.match(wide, new RegExp(`^${m}\\s.*\\b${region}\\b`, 'm'), `${m} shows region ${region}:\n${wide}`);
    }
    const clusters = YAML.parse(await karmada.ok(['get', 'clusters', '-o', 'yaml']));
    assert.deepEqual(
      clusters.items.map((c: any) => [c.metadata.name, c.spec.region, c.metadata.labels?.tier]).sort(),
      [['member1', 'us-east-1', 'stable'], ['member2', 'us-east-1', 'canary'], ['member3', 'eu-west-1', 'stable']],
    );
  });

  test('one Deployment on three members: registry per region, args in one member, env per cluster, tag, repository and command per cluster', async () => {
    await apply(`${regionalRegistry}---\n${stageDefault}---\n${webEnv('blue')}---\n${webTuning}---\n${priorityPolicies}---\n${webConfig}`);
    await apply(workload);
    await eachDeploy('every member runs its overridden Deployment', (m, d) => {
      if (d.error) return `${m}: ${d.error}`;
      const got = {
        web: containerOf(d, 'web').image,
        sidecar: containerOf(d, 'sidecar').image,
        args: containerOf(d, 'web').args ?? [],
        command: containerOf(d, 'sidecar').command,
        stage: envOf(d),
        setup: d.spec.template.spec.initContainers[0].image,
      };
      const want = { web: expected.web[m], sidecar: expected.sidecar[m], args: expected.args[m], command: expected.command[m], stage: expected.stage[m], setup: expected.setup[m] };
      try {
        assert.deepEqual(got, want);
      } catch {
        return `${m}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`;
      }
      return undefined;
    });
    for (const m of memberNames) {
      const d = await deployOf(m);
      for (const c of d.spec.template.spec.containers) assert.ok(c.image.startsWith(`${expected.registry[m]}/`), `${m}: ${c.image} comes from the region's registry`);
      assert.equal(d.metadata.labels.team, 'web', `${m}: an OverridePolicy without resourceSelectors applies to every resource of its namespace`);
      assert.equal(d.metadata.annotations.owner, 'by-name', `${m}: the name selector outranks the label selector, whatever the names`);
    }
  });

  test('within one rule, and ClusterOverridePolicy before OverridePolicy', async () => {
    const m3 = await deployOf('member3');
    assert.equal(m3.metadata.labels.ordered, 'from-plaintext', 'plaintext runs after labelsOverrider');
    assert.equal(m3.metadata.annotations.scratch, undefined, 'annotationsOverrider remove');
    assert.equal((await deployOf('member1')).metadata.annotations.scratch, 'delete-me', 'only the eu rule removes it');
    assert.equal((await deployOf('member1')).metadata.labels.ordered, undefined);
    // stage-default (a ClusterOverridePolicy) set STAGE everywhere; web-env (an OverridePolicy) ran later on member1 and member2
    assert.equal(envOf(await deployOf('member1')), 'blue');
    assert.equal(envOf(await deployOf('member3')), 'cluster-default');
  });

  test("the ConfigMap's embedded YAML and JSON differ per cluster", async () => {
    await eventually(async () => (await embeddedOf('member3').catch(() => ({}))).region === 'eu-west-1a', 'the overridden ConfigMap in member3', 30_000, 300);
    assert.deepEqual(await embeddedOf('member1'), { log: { level: 'info' }, region: 'us-east-1a' });
    assert.deepEqual(await embeddedOf('member2'), { log: { level: 'debug', format: 'json' }, region: 'us-east-1b' });
    assert.deepEqual(await embeddedOf('member3'), { region: 'eu-west-1a' });
    const settings = async (m: Member) => JSON.parse((await yamlOf(m, ['get', 'cm', 'web-config'])).data['settings.json']);
    assert.deepEqual(await settings('member3'), { cache: { ttl: 600 } });
    assert.deepEqual(await settings('member1'), { cache: { ttl: 60 } });
    // the image overrider of a policy without resourceSelectors leaves a ConfigMap alone
    const rb = YAML.parse(await karmada.ok(['get', 'rb', 'web-config-configmap', '-o', 'yaml']));
    assert.ok(!(rb.status?.conditions ?? []).some((c: any) => c.type === 'OverridePolicyApplied'), JSON.stringify(rb.status?.conditions));
  });

  test('the Works record which policies were applied', async () => {
    const cop = { member1: ['regional-registry', 'stage-default'], member2: ['regional-registry', 'stage-default'], member3: ['regional-registry', 'stage-default'] };
    const op = {
      member1: ['aaa-by-name', 'namespace-wide', 'web-env', 'web-tuning', 'zzz-by-label'],
      member2: ['aaa-by-name', 'namespace-wide', 'web-env', 'web-tuning', 'zzz-by-label'],
      member3: ['aaa-by-name', 'namespace-wide', 'web-tuning', 'zzz-by-label'],
    };
    for (const m of memberNames) {
      const work = await workOf(m, 'web');
      assert.ok(work, `a Work for web in karmada-es-${m}`);
      assert.deepEqual(appliedPolicies(work, ClusterOverrides), cop[m], `${m}: ${ClusterOverrides}`);
      assert.deepEqual([...new Set(appliedPolicies(work, Overrides))], op[m], `${m}: ${Overrides}`);
      const entries = JSON.parse(work.metadata.annotations[Overrides]) as { policyName: string; overriders: any }[];
      const tuning = entries.filter((e) => e.policyName === 'web-tuning');
      assert.equal(tuning.length, 1, `${m}: one web-tuning rule matches`);
    }
    // Karmada's override manager reports each applied policy on the template
    const described = await eventually(async () => {
      const out = await karmada.ok(['describe', 'deploy', 'web']);
      return /ApplyOverridePolicySucceed/.test(out) ? out : undefined;
    }, 'ApplyOverridePolicySucceed events on the template', 10_000, 300);
    // one event per (policy, cluster); past ten distinct messages client-go's aggregator (and so
    // Karmada's recorder) folds the rest into one "(combined from similar events)" event, so which
    // pairs are still spelled out depends on the order they were applied in
    assert.match(described ?? '', /Normal\s+ApplyOverridePolicySucceed\s+.*Apply cluster override policy\([a-z-]+\) for cluster\(member\d\) succeed\./);
    assert.match(described ?? '', /Normal\s+ApplyOverridePolicySucceed\s+.*Apply override policy\(default\/[a-z-]+\) for cluster\(member\d\) succeed\./);
    const m2 = JSON.parse((await workOf('member2', 'web')).metadata.annotations[Overrides]) as { policyName: string; overriders: any }[];
    assert.deepEqual(m2.find((e) => e.policyName === 'web-tuning')!.overriders.argsOverrider, [{ containerName: 'web', operator: 'add', value: ['--verbose'] }]);
  });

  test('editing an OverridePolicy updates the member it targets', async () => {
    await apply(webEnv('navy'));
    await eventually(async () => envOf(await deployOf('member1')) === 'navy', 'member1 STAGE=navy', 30_000, 300);
    assert.equal(envOf(await deployOf('member2')), 'green');
    assert.equal(envOf(await deployOf('member3')), 'cluster-default');
  });

  test('relabelling a cluster re-renders its Work against the labelSelector rules', async () => {
    await karmada.ok(['label', 'cluster', 'member3', 'tier=canary', '--overwrite']);
    await eventually(async () => envOf(await deployOf('member3')) === 'green', 'member3 picks up the canary rule', 30_000, 300);
    await karmada.ok(['label', 'cluster', 'member3', 'tier=stable', '--overwrite']);
    await eventually(async () => envOf(await deployOf('member3')) === 'cluster-default', 'member3 back to the cluster default', 30_000, 300);
  });

  test("a label on the template brings in a policy that selects by label; another namespace's policy never applies", async () => {
    await apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: elsewhere}\n');
    await apply(`apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: canary-track}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {track: canary}}}
  overrideRules:
  - targetCluster: {clusterNames: [member2]}
    overriders:
      plaintext:
      - {path: /spec/template/spec/containers/0/env/-, operator: add, value: {name: TRACK, value: canary}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: web-env, namespace: elsewhere}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web}
  overrideRules:
  - overriders:
      plaintext:
      - {path: /spec/template/spec/containers/0/env/0/value, operator: replace, value: from-elsewhere}
`);
    const track = (d: any) => containerOf(d, 'web').env.find((e: { name: string }) => e.name === 'TRACK')?.value;
    // a change of the template after the policies exist: once member2's Work carries it, the binding
    // controller has rendered the template against them
    await karmada.ok(['annotate', 'deploy', 'web', 'probe=after-canary-track']);
    const rendered = await eventually(async () => {
      const manifest = (await workOf('member2', 'web'))?.spec.workload.manifests[0];
      return manifest?.metadata.annotations?.probe === 'after-canary-track' ? manifest : undefined;
    }, "member2's Work renders the annotated template", 30_000, 300);
    assert.equal(track(rendered), undefined, 'the template has no track label yet');
    await karmada.ok(['label', 'deploy', 'web', 'track=canary']);
    await eventually(async () => track(await deployOf('member2')) === 'canary', 'member2 gets TRACK=canary', 30_000, 300);
    assert.equal(track(await deployOf('member1')), undefined, 'the rule targets member2 only');
    await karmada.ok(['label', 'deploy', 'web', 'track-']);
    await eventually(async () => track(await deployOf('member2')) === undefined, 'TRACK gone with the label', 30_000, 300);
    for (const m of memberNames) assert.notEqual(envOf(await deployOf(m)), 'from-elsewhere', `${m}: a policy of another namespace`);
    await karmada.ok(['annotate', 'deploy', 'web', 'probe-']);
    await karmada.ok(['delete', 'overridepolicy', 'canary-track']);
  });

  test('deleting an OverridePolicy reverts the members and its record on the Works', async () => {
    await karmada.ok(['delete', 'overridepolicy', 'web-tuning']);
    await eachDeploy('web-tuning undone everywhere', (m, d) => {
      if (d.error) return `${m}: ${d.error}`;
      const args = containerOf(d, 'web').args;
      const sidecar = containerOf(d, 'sidecar').image;
      const web = containerOf(d, 'web').image;
      if (!isDeepEqual(args, ['--port=8080'])) return `${m}: args ${JSON.stringify(args)}`;
      if (sidecar !== `${expected.registry[m]}/library/busybox:1.36`) return `${m}: sidecar ${sidecar}`;
      if (web !== `${expected.registry[m]}/nginx:1.25`) return `${m}: web ${web}`;
      const setup = d.spec.template.spec.initContainers[0].image;
      if (setup !== `${expected.registry[m]}/org/setup:v1`) return `${m}: setup ${setup}`;
      if (!isDeepEqual(containerOf(d, 'sidecar').command, ['sleep', '3600'])) return `${m}: command`;
      return undefined;
    });
    const m3 = await deployOf('member3');
    assert.equal(m3.metadata.labels.ordered, undefined, 'the label added by the deleted policy is gone');
    assert.equal(m3.metadata.annotations.scratch, 'delete-me', 'the removed annotation is back');
    for (const m of memberNames) {
      assert.ok(!appliedPolicies(await workOf(m, 'web'), Overrides).includes('web-tuning'), `${m}: the Work no longer records web-tuning`);
    }
    await karmada.ok(['delete', 'clusteroverridepolicy', 'stage-default']);
    await eventually(async () => envOf(await deployOf('member3')) === 'template', 'member3 back to the template STAGE', 30_000, 300);
    assert.equal(envOf(await deployOf('member1')), 'navy');
    assert.equal(appliedPolicies(await workOf('member3', 'web'), ClusterOverrides).join(), 'regional-registry');
  });

  test('invalid overriders are refused at admission with a 422 naming the field', async () => {
    const cases: { name: string; overriders: string; field: RegExp }[] = [
      { name: 'a plaintext path that is not a JSON pointer', overriders: 'plaintext: [{path: spec/replicas, operator: replace, value: 2}]', field: /spec\.overrideRules\[0\]\.overriders\.plaintext\[0\]\.path/ },
      { name: 'an unknown operator', overriders: 'labelsOverrider: [{operator: append, value: {a: b}}]', field: /spec\.overrideRules\[0\]\.overriders\.labelsOverrider\[0\]\.operator/ },
      { name: 'an unknown image component', overriders: 'imageOverrider: [{component: Host, operator: replace, value: x}]', field: /spec\.overrideRules\[0\]\.overriders\.imageOverrider\[0\]\.component/ },
      { name: 'args given as a string', overriders: 'argsOverrider: [{containerName: web, operator: add, value: --verbose}]', field: /spec\.overrideRules\[0\]\.overriders\.argsOverrider\[0\]\.value/ },
      { name: 'labels given as a list', overriders: 'labelsOverrider: [{operator: add, value: [a, b]}]', field: /spec\.overrideRules\[0\]\.overriders\.labelsOverrider\[0\]\.value/ },
      { name: 'a fieldOverrider with a bad subPath', overriders: 'fieldOverrider: [{fieldPath: /data/app.yaml, yaml: [{subPath: region, operator: replace, value: x}]}]', field: /spec\.overrideRules\[0\]\.overriders\.fieldOverrider\[0\]\.yaml\[0\]\.subPath/ },
    ];
    for (const c of cases) {
      const r = await karmada.run(['apply', '-f', '-'], {
        stdin: `apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: invalid}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]\n  overrideRules:\n  - overriders:\n      ${c.overriders}\n`,
      });
      assert.notEqual(r.code, 0, `${c.name}: refused`);
      assert.match(r.stderr, /is invalid/, `${c.name}: a 422 Invalid: ${r.stderr}`);
      assert.match(r.stderr, c.field, `${c.name}: names the field: ${r.stderr}`);
    }
    const badAffinity = await karmada.run(['apply', '-f', '-'], {
      stdin: `apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterOverridePolicy\nmetadata: {name: invalid}\nspec:\n  overrideRules:\n  - targetCluster: {fieldSelector: {matchExpressions: [{key: country, operator: In, values: [fr]}]}}\n    overriders: {labelsOverrider: [{operator: add, value: {a: b}}]}\n`,
    });
    assert.notEqual(badAffinity.code, 0);
    assert.match(badAffinity.stderr, /is invalid.*spec\.overrideRules\[0\]\.targetCluster\.fieldSelector.*country/s, badAffinity.stderr);
    // an update is checked as a create is, and the stored policy stays as it was
    const badEdit = await karmada.run(['apply', '-f', '-'], { stdin: webEnv('navy').replace('operator: replace, value: green', 'operator: upsert, value: green') });
    assert.notEqual(badEdit.code, 0);
    assert.match(badEdit.stderr, /is invalid.*spec\.overrideRules\[1\]\.overriders\.plaintext\[0\]\.operator.*upsert/s, badEdit.stderr);
    assert.match(await karmada.ok(['get', 'overridepolicy', 'web-env', '-o', 'jsonpath={.spec.overrideRules[1].overriders.plaintext[0].operator}']), /^replace$/);
    assert.notEqual((await karmada.run(['get', 'overridepolicy', 'invalid'])).code, 0, 'nothing was stored');
    assert.notEqual((await karmada.run(['get', 'clusteroverridepolicy', 'invalid'])).code, 0, 'nothing was stored');
  });

  test('an override that cannot apply is reported on the binding and the previous Work stays', async () => {
    const before = await workOf('member1', 'web');
    await apply(`apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: broken}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web}
  overrideRules:
  - targetCluster: {clusterNames: [member1]}
    overriders:
      plaintext:
      - {path: /spec/template/spec/nodeSelector/zone, operator: replace, value: a}
      - {path: /spec/template/spec/containers/0/env/0/value, operator: replace, value: never}
`);
    const condition = await eventually(async () => {
      const rb = YAML.parse(await karmada.ok(['get', 'rb', 'web-deployment', '-o', 'yaml']));
      return (rb.status?.conditions ?? []).find((c: any) => c.type === 'OverridePolicyApplied' && c.status === 'False');
    }, 'the binding reports the failed override', 30_000, 300);
    assert.match(condition.message, /broken/);
    assert.match(condition.message, /member1/);
    assert.match(condition.message, /nodeSelector/);
    const described = await eventually(async () => {
      const out = await karmada.ok(['describe', 'rb', 'web-deployment']);
      return /Warning\s+ApplyOverridePolicyFailed/.test(out) ? out : undefined;
    }, 'a Warning event on the binding', 15_000, 300);
    assert.match(described ?? '', /broken/);
    assert.match(await karmada.ok(['describe', 'deploy', 'web']), /Warning\s+ApplyOverridePolicyFailed\s+.*policy\(default\/broken\) for cluster\(member1\)/, 'the template tells too');
    // member1 keeps its last good Work (the failure reported above is the binding controller's verdict
    // on this render); the other members are unaffected
    const after = await workOf('member1', 'web');
    assert.deepEqual(after.spec, before.spec, 'the Work of member1 was not changed');
    assert.equal(envOf(await deployOf('member1')), 'navy');
    await apply(webEnv('teal'));
    await eventually(async () => envOf(await deployOf('member2')) === 'green', 'member2 still rendered', 10_000, 300);
    assert.equal(envOf(await deployOf('member1')), 'navy', 'member1 stays on its last good Work while broken applies to it');
    // removing the broken policy clears the condition and lets the pending change through
    await karmada.ok(['delete', 'overridepolicy', 'broken']);
    await eventually(async () => envOf(await deployOf('member1')) === 'teal', 'member1 STAGE=teal', 30_000, 300);
    await eventually(async () => {
      const rb = YAML.parse(await karmada.ok(['get', 'rb', 'web-deployment', '-o', 'yaml']));
      return !(rb.status?.conditions ?? []).some((c: any) => c.type === 'OverridePolicyApplied' && c.status === 'False');
    }, 'the condition is cleared', 15_000, 300);
  });

  test('cluster-scoped resources and namespaces take ClusterOverridePolicies only', async () => {
    await apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: web-reader}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-x}
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: web-reader}
spec:
  resourceSelectors:
  - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, name: web-reader}
  placement:
    clusterAffinity: {clusterNames: [member1, member3]}
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: eu-marks}
spec:
  resourceSelectors:
  - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, name: web-reader}
  - {apiVersion: v1, kind: Namespace, name: team-x}
  overrideRules:
  - targetCluster:
      fieldSelector:
        matchExpressions: [{key: region, operator: In, values: [eu-west-1]}]
    overriders:
      labelsOverrider:
      - {operator: add, value: {geo: eu}}
`);
    await eventually(async () => (await members.run(['--context', 'member3', 'get', 'clusterrole', 'web-reader', '-o', 'jsonpath={.metadata.labels.geo}'])).stdout === 'eu', 'the ClusterRole labelled in member3', 30_000, 300);
    assert.equal(await on('member1', ['get', 'clusterrole', 'web-reader', '-o', 'jsonpath={.metadata.labels.geo}']), '', 'member1 is not in eu');
    await eventually(async () => (await members.run(['--context', 'member3', 'get', 'ns', 'team-x', '-o', 'jsonpath={.metadata.labels.geo}'])).stdout === 'eu', 'the namespace labelled in member3', 30_000, 300);
    assert.equal(await on('member2', ['get', 'ns', 'team-x', '-o', 'jsonpath={.metadata.labels.geo}']), '');
    const works = YAML.parse(await karmada.ok(['get', 'work', '-n', 'karmada-es-member3', '-o', 'yaml']));
    const roleWork = works.items.find((w: any) => w.spec.workload.manifests[0].kind === 'ClusterRole' && w.spec.workload.manifests[0].metadata.name === 'web-reader');
    assert.deepEqual(appliedPolicies(roleWork, ClusterOverrides), ['regional-registry', 'eu-marks'].sort().reverse().sort());
    assert.equal(roleWork.metadata.annotations[Overrides], undefined, 'OverridePolicies (namespace-wide has no selectors) never apply to cluster-scoped resources');
  });

  test('with every policy gone, the members run the template and the Works record nothing', async () => {
    await karmada.ok(['delete', 'overridepolicy', '--all']);
    await karmada.ok(['delete', 'clusteroverridepolicy', '--all']);
    await eachDeploy('the template everywhere', (m, d) => {
      if (d.error) return `${m}: ${d.error}`;
      const images = d.spec.template.spec.containers.map((c: { image: string }) => c.image).join();
      if (images !== 'nginx:1.25,docker.io/library/busybox:1.36') return `${m}: images ${images}`;
      if (envOf(d) !== 'template') return `${m}: STAGE ${envOf(d)}`;
      if (d.metadata.labels.team !== undefined || d.metadata.annotations.owner !== undefined) return `${m}: labels/annotations from deleted policies`;
      return undefined;
    });
    for (const m of memberNames) {
      assert.deepEqual(await embeddedOf(m), { log: { level: 'info' }, region: 'none' }, `${m}: the template's embedded YAML`);
      const work = await workOf(m, 'web');
      assert.equal(work.metadata.annotations[Overrides], undefined, `${m}: no ${Overrides}`);
      assert.equal(work.metadata.annotations[ClusterOverrides], undefined, `${m}: no ${ClusterOverrides}`);
    }
    await eventually(async () => (await on('member3', ['get', 'clusterrole', 'web-reader', '-o', 'jsonpath={.metadata.labels.geo}'])) === '', 'the ClusterRole label gone', 30_000, 300);
    await eventually(async () => (await on('member3', ['get', 'ns', 'team-x', '-o', 'jsonpath={.metadata.labels.geo}'])) === '', 'the namespace label gone', 30_000, 300);
  });
});

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
