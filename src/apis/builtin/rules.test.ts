import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { findBuiltin } from './index.js';
import { defaultPullPolicy } from './defaults/podspec.js';
import { scheduleError } from './validation/workloads.js';

const def = (gvr: string) => {
  const [g, v, r] = gvr.split('/') as [string, string, string];
  const d = findBuiltin(g, v, r);
  assert.ok(d, gvr);
  return d;
};
const defaulted = (gvr: string, o: KubeObject): KubeObject => {
  const copy = structuredClone(o);
  def(gvr).defaults!(copy);
  return copy;
};
const messages = (gvr: string, o: KubeObject, old?: KubeObject): string[] => def(gvr).validate!(o, old).map(formatFieldError);

const template = (labels: Record<string, string> = { app: 'web' }, containers: unknown[] = [{ name: 'web', image: 'nginx' }]) => ({
  metadata: { labels },
  spec: { containers },
});

describe('defaults', () => {
  test('Deployment gets replicas, strategy, history, deadline and pod spec defaults', () => {
    const d = defaulted('apps/v1/deployments', {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }]) },
    });
    assert.deepEqual(d.spec, {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
    });
  });

  test('Recreate strategy gets no rollingUpdate', () => {
    const d = defaulted('apps/v1/deployments', { metadata: {}, spec: { strategy: { type: 'Recreate' } } });
    assert.deepEqual((d.spec as { strategy: unknown }).strategy, { type: 'Recreate' });
  });

  test('explicit values are kept', () => {
    const d = defaulted('apps/v1/deployments', { metadata: {}, spec: { replicas: 0, revisionHistoryLimit: 2 } });
    assert.equal((d.spec as { replicas: number }).replicas, 0);
    assert.equal((d.spec as { revisionHistoryLimit: number }).revisionHistoryLimit, 2);
  });

  const pullPolicies: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['registry:5000/team/nginx', 'Always'],
    ['registry:5000/team/nginx:v2', 'IfNotPresent'],
    ['nginx@sha256:abc', 'IfNotPresent'],
  ];
  for (const [image, want] of pullPolicies) test(`imagePullPolicy for ${image}`, () => assert.equal(defaultPullPolicy(image), want));

  test('Job: completions and parallelism 1, backoffLimit 6, NonIndexed, not suspended, generated selector', () => {
    const j = defaulted('batch/v1/jobs', { metadata: { name: 'pi', uid: 'u-1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } } });
    const spec = j.spec as Record<string, unknown>;
    assert.equal(spec.completions, 1);
    assert.equal(spec.parallelism, 1);
    assert.equal(spec.backoffLimit, 6);
    assert.equal(spec.completionMode, 'NonIndexed');
    assert.equal(spec.suspend, false);
    assert.equal(spec.podReplacementPolicy, 'TerminatingOrFailed');
    assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    assert.equal((spec.template as { metadata: { labels: Record<string, string> } }).metadata.labels['batch.kubernetes.io/job-name'], 'pi');
  });

  test('Job with only parallelism keeps completions unset', () => {
    const spec = defaulted('batch/v1/jobs', { metadata: {}, spec: { parallelism: 3 } }).spec as Record<string, unknown>;
    assert.equal(spec.completions, undefined);
    assert.equal(spec.parallelism, 3);
  });

  test('CronJob defaults its own fields and the pod template, not the JobSpec', () => {
    const spec = defaulted('batch/v1/cronjobs', { metadata: {}, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } } }).spec as Record<string, unknown>;
    assert.equal(spec.concurrencyPolicy, 'Allow');
    assert.equal(spec.suspend, false);
    assert.equal(spec.successfulJobsHistoryLimit, 3);
    assert.equal(spec.failedJobsHistoryLimit, 1);
    const jobSpec = (spec.jobTemplate as { spec: Record<string, unknown> }).spec;
    assert.equal(jobSpec.backoffLimit, undefined);
    assert.equal((jobSpec.template as { spec: { dnsPolicy: string } }).spec.dnsPolicy, 'ClusterFirst');
  });

  test('StatefulSet, DaemonSet and ReplicaSet defaults', () => {
    const sts = defaulted('apps/v1/statefulsets', { metadata: {}, spec: { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] } }).spec as Record<string, unknown>;
    assert.equal(sts.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(sts.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(sts.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.deepEqual(sts.volumeClaimTemplates, [{ metadata: { name: 'data' }, spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }]);
    const ds = defaulted('apps/v1/daemonsets', { metadata: {}, spec: {} }).spec as Record<string, unknown>;
    assert.deepEqual(ds.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(ds.revisionHistoryLimit, 10);
    assert.equal((defaulted('apps/v1/replicasets', { metadata: {}, spec: {} }).spec as { replicas: number }).replicas, 1);
  });

  test('Service: ClusterIP, sessionAffinity None, TCP ports, targetPort = port', () => {
    const s = defaulted('/v1/services', { metadata: {}, spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] } }).spec as Record<string, unknown>;
    assert.equal(s.type, 'ClusterIP');
    assert.equal(s.sessionAffinity, 'None');
    assert.equal(s.internalTrafficPolicy, 'Cluster');
    assert.deepEqual(s.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }]);
  });

  test('NodePort service gets externalTrafficPolicy Cluster', () => {
    const s = defaulted('/v1/services', { metadata: {}, spec: { type: 'NodePort', ports: [{ port: 80 }] } }).spec as Record<string, unknown>;
    assert.equal(s.externalTrafficPolicy, 'Cluster');
  });

  test('Pod: service links, phase Pending, QoS class and requests from limits', () => {
    const p = defaulted('/v1/pods', { metadata: {}, spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } });
    const spec = p.spec as { enableServiceLinks: boolean; containers: { resources: { requests: unknown } }[] };
    assert.equal(spec.enableServiceLinks, true);
    assert.deepEqual(spec.containers[0]!.resources.requests, { cpu: '1', memory: '1Gi' });
    assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'Guaranteed' });
  });

  test('Pod volumes: secret default mode 420, no source means emptyDir', () => {
    const p = defaulted('/v1/pods', { metadata: {}, spec: { containers: [], volumes: [{ name: 's', secret: { secretName: 'x' } }, { name: 'e' }] } });
    assert.deepEqual((p.spec as { volumes: unknown }).volumes, [{ name: 's', secret: { secretName: 'x', defaultMode: 420 } }, { name: 'e', emptyDir: {} }]);
  });

  test('Namespace: phase Active and the metadata.name label; finalizers are not a default (the namespace controller removes them)', () => {
    const n = defaulted('/v1/namespaces', { metadata: { name: 'team-a' } });
    assert.equal((n.spec as { finalizers?: string[] } | undefined)?.finalizers, undefined);
    assert.deepEqual(n.status, { phase: 'Active' });
    assert.equal(n.metadata.labels?.['kubernetes.io/metadata.name'], 'team-a');
  });

  test('Secret type Opaque', () => assert.equal(defaulted('/v1/secrets', { metadata: {} }).type, 'Opaque'));

  test('HPA v2 defaults minReplicas, the cpu metric and behavior rules', () => {
    const spec = defaulted('autoscaling/v2/horizontalpodautoscalers', { metadata: {}, spec: { maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } }).spec as Record<string, unknown>;
    assert.equal(spec.minReplicas, 1);
    assert.deepEqual(spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    const behavior = spec.behavior as Record<string, Record<string, unknown>>;
    assert.equal(behavior.scaleDown!.stabilizationWindowSeconds, 60);
    assert.equal(behavior.scaleDown!.selectPolicy, 'Max');
    assert.equal(behavior.scaleUp!.stabilizationWindowSeconds, 0);
  });
});

describe('conversion', () => {
  const v1 = def('autoscaling/v1/horizontalpodautoscalers');
  test('HPA v1 targetCPUUtilizationPercentage becomes a Resource cpu Utilization metric and back', () => {
    const obj: KubeObject = {
      apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 60 },
      status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 20 },
    };
    const stored = v1.convertToStorage!(obj);
    assert.equal(stored.apiVersion, 'autoscaling/v2');
    assert.deepEqual((stored.spec as { metrics: unknown }).metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    assert.deepEqual((stored.status as { currentMetrics: unknown }).currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 20 } } }]);
    assert.deepEqual(v1.convertFromStorage!(stored), obj);
  });

  test('v2-only metrics survive a round trip through v1 in an annotation', () => {
    const stored: KubeObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4, metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }] },
    };
    const asV1 = v1.convertFromStorage!(stored);
    assert.ok(asV1.metadata.annotations?.['autoscaling.alpha.kubernetes.io/metrics']);
    assert.equal((asV1.spec as Record<string, unknown>).targetCPUUtilizationPercentage, undefined);
    assert.deepEqual(v1.convertToStorage!(asV1), stored);
  });

  test('events.k8s.io events round-trip through core storage', () => {
    const ev = def('events.k8s.io/v1/events');
    const obj: KubeObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e' }, regarding: { kind: 'Pod', name: 'p' }, note: 'hi', reason: 'R', reportingController: 'c', deprecatedCount: 2 };
    const core = ev.convertToStorage!(obj);
    assert.deepEqual(core, { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, message: 'hi', reason: 'R', reportingComponent: 'c', count: 2 });
    assert.deepEqual(ev.convertFromStorage!(core), obj);
  });
});

describe('validation', () => {
  const deployment = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'web' }, spec: { replicas: 1, strategy: { type: 'RollingUpdate' }, ...spec } });
  const cases: { name: string; gvr: string; obj: KubeObject; old?: KubeObject; want: string[] }[] = [
    {
      name: 'a valid deployment has no errors',
      gvr: 'apps/v1/deployments',
      obj: deployment({ selector: { matchLabels: { app: 'web' } }, template: { ...template(), spec: { containers: [{ name: 'web', image: 'nginx' }], restartPolicy: 'Always' } } }),
      want: [],
    },
    {
      name: 'selector must match template labels',
      gvr: 'apps/v1/deployments',
      obj: deployment({ selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'api', tier: 'x' } }, spec: { containers: [{ name: 'web', image: 'nginx' }], restartPolicy: 'Always' } } }),
      want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"api", "tier":"x"}: `selector` does not match template `labels`'],
    },
    {
      name: 'selector is required',
      gvr: 'apps/v1/deployments',
      obj: deployment({ template: { ...template(), spec: { containers: [{ name: 'web', image: 'nginx' }], restartPolicy: 'Always' } } }),
      want: ['spec.selector: Required value'],
    },
    {
      name: 'containers need name and image; replicas non-negative',
      gvr: 'apps/v1/replicasets',
      obj: { metadata: {}, spec: { replicas: -1, selector: { matchLabels: { app: 'web' } }, template: { ...template(), spec: { containers: [{}], restartPolicy: 'Always' } } } },
      want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0', 'spec.template.spec.containers[0].name: Required value', 'spec.template.spec.containers[0].image: Required value'],
    },
    {
      name: 'no containers at all',
      gvr: 'apps/v1/daemonsets',
      obj: { metadata: {}, spec: { selector: { matchLabels: { app: 'web' } }, template: { ...template(), spec: { restartPolicy: 'Always' } } } },
      want: ['spec.template.spec.containers: Required value'],
    },
    {
      name: 'workload templates only allow restartPolicy Always',
      gvr: 'apps/v1/statefulsets',
      obj: { metadata: {}, spec: { selector: { matchLabels: { app: 'web' } }, template: { ...template(), spec: { containers: [{ name: 'web', image: 'nginx' }], restartPolicy: 'Never' } } } },
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'deployment selector is immutable',
      gvr: 'apps/v1/deployments',
      obj: deployment({ selector: { matchLabels: { app: 'web2' } }, template: { metadata: { labels: { app: 'web2' } }, spec: { containers: [{ name: 'web', image: 'nginx' }], restartPolicy: 'Always' } } }),
      old: deployment({ selector: { matchLabels: { app: 'web' } } }),
      want: ['spec.selector: Invalid value: &v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'],
    },
    {
      name: 'job pods may not restart Always',
      gvr: 'batch/v1/jobs',
      obj: { metadata: {}, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Always' } } } },
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
    },
    {
      name: 'cronjob schedule must parse',
      gvr: 'batch/v1/cronjobs',
      obj: { metadata: { name: 'c' }, spec: { schedule: 'every minute', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } } },
      want: ['spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]'],
    },
    {
      name: 'service ports in range, named when several',
      gvr: '/v1/services',
      obj: { metadata: {}, spec: { type: 'ClusterIP', ports: [{ port: 0, protocol: 'TCP' }, { name: 'b', port: 80, protocol: 'HTTP' }] } },
      want: [
        'spec.ports[0].name: Required value',
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      ],
    },
    {
      name: 'service needs ports unless headless',
      gvr: '/v1/services',
      obj: { metadata: {}, spec: { type: 'ClusterIP' } },
      want: ['spec.ports: Required value'],
    },
    {
      name: 'configmap keys must be valid config keys',
      gvr: '/v1/configmaps',
      obj: { metadata: {}, data: { 'ok.key': '1', 'bad key': '2' } },
      want: ["data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
    },
    {
      name: 'immutable configmap data cannot change',
      gvr: '/v1/configmaps',
      obj: { metadata: {}, immutable: true, data: { a: '2' } },
      old: { metadata: {}, immutable: true, data: { a: '1' } },
      want: ['data: Forbidden: field is immutable when `immutable` is set'],
    },
    {
      name: 'TLS secrets need tls.crt and tls.key',
      gvr: '/v1/secrets',
      obj: { metadata: {}, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } },
      want: ['data[tls.key]: Required value'],
    },
    {
      name: 'pod restart policy values',
      gvr: '/v1/pods',
      obj: { metadata: {}, spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Sometimes' } },
      want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    },
    {
      name: 'duplicate container names',
      gvr: '/v1/pods',
      obj: { metadata: {}, spec: { containers: [{ name: 'c', image: 'i' }, { name: 'c', image: 'i' }], restartPolicy: 'Always' } },
      want: ['spec.containers[1].name: Duplicate value: "c"'],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(messages(c.gvr, c.obj, c.old), c.want));

  const schedules: [string, string | undefined][] = [
    ['*/5 * * * *', undefined],
    ['@hourly', undefined],
    ['0 0 * * MON-FRI', undefined],
    ['TZ=UTC 0 * * * *', 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ['61 * * * *', 'x'],
  ];
  for (const [s, want] of schedules) {
    test(`schedule ${s}`, () => {
      const got = scheduleError(s);
      if (want === undefined) assert.equal(got, undefined);
      else if (want === 'x') assert.ok(got);
      else assert.equal(got, want);
    });
  }
});
