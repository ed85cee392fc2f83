import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHash, scaledValue, templatesEqual } from './common.js';
import { formatIndexes } from './job.js';
import { jobNameFor, scheduleTimes } from './cronjob.js';
import { ordinalOf } from './statefulset.js';
import { imageRef, qosClass } from '../pods.js';
import { parseGoDuration } from '../../apimachinery/duration.js';

describe('workload helpers', () => {
  test('pod-template hashes are stable, change with the template, and use the safe alphabet', () => {
    const t = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    assert.equal(computeHash(t), computeHash(structuredClone(t)));
    assert.notEqual(computeHash(t), computeHash({ ...t, spec: { containers: [{ name: 'c', image: 'y' }] } }));
    assert.match(computeHash(t), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
  // the names of existing ReplicaSets and revisions hang on these: a member that restarts must find its own
  const pinned: [string, unknown, number | undefined, string][] = [
    ['a Deployment template', { metadata: { labels: { app: 'd0' } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } }, undefined, 'b4744c46c'],
    ['with a collision count', { metadata: { labels: { app: 'd0' } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } }, 3, '68f7b86c96'],
    ['unsorted keys, undefined members, arrays, null, booleans, numbers', { metadata: { labels: { b: '1', a: '2' }, annotations: { x: undefined } }, spec: { containers: [{ name: 'c', image: 'x', args: ['a', 'b'], env: [] }], nodeSelector: {}, n: null, t: true, z: 1.5 } }, undefined, '6bdff5d948'],
    ['no template', undefined, undefined, '6b4bdbfd6c'],
    ['an empty template', {}, undefined, '5859f96865'],
  ];
  for (const [name, template, collisions, want] of pinned) test(`computeHash: ${name}`, () => assert.equal(computeHash(template, collisions), want));
  test('templates compare without the pod-template-hash label', () => {
    assert.ok(templatesEqual({ metadata: { labels: { a: 'b', 'pod-template-hash': 'x' } } }, { metadata: { labels: { a: 'b' } } }));
    assert.ok(!templatesEqual({ metadata: { labels: { a: 'c' } } }, { metadata: { labels: { a: 'b' } } }));
    const spec = { containers: [{ name: 'c', image: 'x' }] };
    const cases: [string, Parameters<typeof templatesEqual>[0], Parameters<typeof templatesEqual>[1], boolean][] = [
      ['only the hash label vs no metadata', { metadata: { labels: { 'pod-template-hash': 'x' } }, spec }, { spec }, true],
      ['empty labels and metadata vs none', { metadata: { labels: {} } }, {}, true],
      ['undefined vs empty', undefined, {}, true],
      ['annotations count', { metadata: { annotations: { a: '1' } }, spec }, { spec }, false],
      ['specs differ', { spec }, { spec: { containers: [{ name: 'c', image: 'y' }] } }, false],
    ];
    for (const [name, a, b, want] of cases) assert.equal(templatesEqual(a, b), want, name);
  });
  const scaled = [
    { name: 'percent rounds up', v: '25%', total: 5, up: true, want: 2 },
    { name: 'percent rounds down', v: '25%', total: 5, up: false, want: 1 },
    { name: 'numbers stay', v: 3, total: 5, up: true, want: 3 },
  ];
  for (const c of scaled) test(`scaledValue: ${c.name}`, () => assert.equal(scaledValue(c.v, c.total, c.up, 0), c.want));
  const indexes = [
    { name: 'ranges compress', in: [0, 1, 2, 4], want: '0-2,4' },
    { name: 'single', in: [3], want: '3' },
    { name: 'unsorted with duplicates', in: [5, 1, 5, 2], want: '1-2,5' },
  ];
  for (const c of indexes) test(`formatIndexes: ${c.name}`, () => assert.equal(formatIndexes(c.in), c.want));
  test('cron: latest missed time and the next one', () => {
    const t = scheduleTimes('*/5 * * * *', undefined, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:12:00Z'))!;
    assert.equal(t.latest?.toISOString(), '2026-01-01T00:10:00.000Z');
    assert.equal(t.next.toISOString(), '2026-01-01T00:15:00.000Z');
    assert.equal(jobNameFor('backup', t.latest!), `backup-${Date.parse('2026-01-01T00:10:00Z') / 60000}`);
    assert.equal(scheduleTimes('not a schedule', undefined, new Date(), new Date()), undefined);
  });
  test('ordinals', () => {
    assert.equal(ordinalOf('web', 'web-12'), 12);
    assert.equal(ordinalOf('web', 'webx-1'), -1);
  });
  const durations = [
    { in: '300ms', want: 300 },
    { in: '1.5s', want: 1500 },
    { in: '1m30s', want: 90_000 },
    { in: 'soon', want: undefined },
  ];
  for (const c of durations) test(`parseGoDuration(${c.in})`, () => assert.equal(parseGoDuration(c.in), c.want));
  const images = [
    { in: 'nginx', want: 'docker.io/library/nginx:latest' },
    { in: 'nginx:1.25', want: 'docker.io/library/nginx:1.25' },
    { in: 'bitnami/redis:7', want: 'docker.io/bitnami/redis:7' },
    { in: 'registry.k8s.io/pause:3.9', want: 'registry.k8s.io/pause:3.9' },
  ];
  for (const c of images) test(`imageRef(${c.in})`, () => assert.equal(imageRef(c.in), c.want));
  const qos = [
    { name: 'no resources: BestEffort', res: {}, want: 'BestEffort' },
    { name: 'requests only: Burstable', res: { requests: { cpu: '1' } }, want: 'Burstable' },
    { name: 'limits equal requests for cpu and memory: Guaranteed', res: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, want: 'Guaranteed' },
  ];
  for (const c of qos) test(`qosClass: ${c.name}`, () => assert.equal(qosClass({ metadata: {}, spec: { containers: [{ name: 'c', resources: c.res }] } }), c.want));
});
