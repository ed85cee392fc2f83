import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceQuota } from '../../apis/builtin/quota.js';
import { replicasAllowedByQuotas } from './quota.js';

const rq = (name: string, hard: Record<string, string>, used: Record<string, string>, spec: ResourceQuota['spec'] = {}, namespace = 'team'): ResourceQuota => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace }, spec: { hard, ...spec }, status: { hard, used } });

test('replicasAllowedByQuotas', () => {
  const req = { namespace: 'team', resourceRequest: { cpu: '500m', memory: '256Mi' } };
  const cases: { name: string; quotas: ResourceQuota[]; req?: typeof req & { priorityClassName?: string }; want: number | undefined }[] = [
    { name: 'no quota: no bound', quotas: [], want: undefined },
    { name: 'cpu left over one replica\'s request', quotas: [rq('q', { cpu: '2' }, { cpu: '500m' })], want: 3 },
    { name: 'requests.memory is memory', quotas: [rq('q', { 'requests.memory': '1Gi' }, { 'requests.memory': '0' })], want: 4 },
    { name: 'the tightest resource and quota win', quotas: [rq('a', { cpu: '10' }, { cpu: '0' }), rq('b', { 'requests.cpu': '4', 'requests.memory': '512Mi' }, { 'requests.cpu': '0', 'requests.memory': '0' })], want: 2 },
    { name: 'used past hard admits none', quotas: [rq('q', { cpu: '1' }, { cpu: '2' })], want: 0 },
    { name: 'limits are not estimated', quotas: [rq('q', { 'limits.cpu': '1' }, { 'limits.cpu': '0' })], want: undefined },
    { name: 'no status.used yet: not constrained', quotas: [rq('q', { cpu: '1' }, {})], want: undefined },
    { name: 'another namespace\'s quota', quotas: [rq('q', { cpu: '1' }, { cpu: '0' }, {}, 'other')], want: undefined },
    { name: 'a PriorityClass scope the workload does not match', quotas: [rq('q', { cpu: '1' }, { cpu: '0' }, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } })], want: undefined },
    { name: 'a PriorityClass scope it matches', quotas: [rq('q', { cpu: '1' }, { cpu: '0' }, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } })], req: { ...req, priorityClassName: 'high' }, want: 2 },
    { name: 'a BestEffort-scoped quota is not understood, so it never applies', quotas: [rq('q', { cpu: '1' }, { cpu: '0' }, { scopes: ['BestEffort'] })], want: undefined },
  ];
  for (const c of cases) assert.equal(replicasAllowedByQuotas(c.quotas, c.req ?? req), c.want, c.name);
  assert.equal(replicasAllowedByQuotas([rq('q', { cpu: '1' }, { cpu: '0' })], { resourceRequest: { cpu: '1' } }), undefined, 'without replicaRequirements.namespace (gate off) quotas are not consulted');
});
