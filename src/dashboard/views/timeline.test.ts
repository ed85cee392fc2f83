import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { Work } from '../../apis/karmada/work.js';
import { timelineOf, type EventLike } from './timeline.js';

const template: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' } };

function binding(scheduled?: 'True' | 'False', agg: NonNullable<ResourceBinding['status']>['aggregatedStatus'] = []): ResourceBinding {
  return {
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:01Z' },
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'web' }, clusters: [{ name: 'm2', replicas: 1 }, { name: 'm1', replicas: 3 }] },
    status: { conditions: scheduled ? [{ type: 'Scheduled', status: scheduled, reason: scheduled === 'True' ? 'Success' : 'NoClusterFit', message: scheduled === 'True' ? 'Binding has been scheduled successfully.' : '0/3 clusters are available', lastTransitionTime: '2026-01-01T00:00:02Z' }] : [], aggregatedStatus: agg },
  };
}

function event(reason: string, time: string, message = reason): EventLike {
  return { apiVersion: 'v1', kind: 'Event', metadata: { name: `e-${reason}` }, reason, message, lastTimestamp: time, involvedObject: { uid: 'u1' } };
}

function work(cluster: string, applied?: 'True' | 'False'): Work {
  return {
    apiVersion: 'work.karmada.io/v1alpha1',
    kind: 'Work',
    metadata: { name: 'web-123', namespace: `karmada-es-${cluster}`, creationTimestamp: '2026-01-01T00:00:03Z' },
    spec: {},
    status: applied ? { conditions: [{ type: 'Applied', status: applied, reason: 'x', message: applied === 'True' ? 'Manifest has been successfully applied' : 'quota exceeded', lastTransitionTime: '2026-01-01T00:00:04Z' }] } : {},
  } as Work;
}

const brief = (steps: ReturnType<typeof timelineOf>) => steps.map((s) => `${s.step}${s.cluster ? `@${s.cluster}` : ''}:${s.status}`);

test('timelineOf: each stage of propagation, from events and conditions', () => {
  const cases: { name: string; in: Parameters<typeof timelineOf>[0]; want: string[] }[] = [
    { name: 'no policy', in: { template, events: [], works: [] }, want: ['TemplateCreated:done', 'PolicyMatched:pending', 'Scheduled:pending'] },
    { name: 'policy failed', in: { template, events: [event('ApplyPolicyFailed', '2026-01-01T00:00:01Z')], works: [] }, want: ['TemplateCreated:done', 'PolicyMatched:failed', 'Scheduled:pending'] },
    {
      name: 'bound, unschedulable',
      in: { template, binding: binding('False'), events: [event('ApplyPolicySucceed', '2026-01-01T00:00:01Z')], works: [] },
      want: ['TemplateCreated:done', 'PolicyMatched:done', 'Scheduled:failed', 'WorkCreated@m1:pending', 'WorkCreated@m2:pending', 'Applied@m1:pending', 'Applied@m2:pending', 'Healthy@m1:pending', 'Healthy@m2:pending'],
    },
    {
      name: 'applied on one, failed on the other, healthy on one',
      in: { template, binding: binding('True', [{ clusterName: 'm1', applied: true, health: 'Healthy' }, { clusterName: 'm2', applied: false, appliedMessage: 'quota exceeded' }]), events: [event('ApplyPolicySucceed', '2026-01-01T00:00:01Z')], works: [work('m1', 'True'), work('m2', 'False')] },
      want: ['TemplateCreated:done', 'PolicyMatched:done', 'Scheduled:done', 'WorkCreated@m1:done', 'WorkCreated@m2:done', 'Applied@m1:done', 'Applied@m2:failed', 'Healthy@m1:done', 'Healthy@m2:pending'],
    },
  ];
  for (const c of cases) assert.deepEqual(brief(timelineOf(c.in)), c.want, c.name);
});

test('timelineOf: times and messages come from the event and the condition', () => {
  const steps = timelineOf({ template, binding: binding('True'), events: [event('ApplyPolicySucceed', '2026-01-01T00:00:01Z', 'Apply policy(ns/web) succeed'), event('ApplyPolicySucceed', '2026-01-01T00:00:00Z', 'older')], works: [work('m1')] });
  assert.deepEqual(steps[1], { step: 'PolicyMatched', time: '2026-01-01T00:00:01Z', status: 'done', message: 'Apply policy(ns/web) succeed' });
  assert.deepEqual(steps[2], { step: 'Scheduled', time: '2026-01-01T00:00:02Z', status: 'done', message: 'Success: Binding has been scheduled successfully.' });
  assert.equal(steps[3]!.time, '2026-01-01T00:00:03Z');
  assert.equal(steps[0]!.time, '2026-01-01T00:00:00Z');
  const healthy = timelineOf({ template, binding: binding('True', [{ clusterName: 'm1', applied: true, health: 'Healthy' }]), events: [event('AggregateStatusSucceed', '2026-01-01T00:00:09Z')], works: [] });
  assert.deepEqual(healthy.find((s) => s.step === 'Healthy' && s.cluster === 'm1'), { step: 'Healthy', cluster: 'm1', time: '2026-01-01T00:00:09Z', status: 'done', message: 'the member reports Healthy' });
  assert.equal(healthy.find((s) => s.step === 'Healthy' && s.cluster === 'm2')!.time, '');
});
