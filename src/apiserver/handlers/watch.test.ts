// The JSON watch frame made from a cached encoding is byte for byte the one JSON.stringify makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinFrames, jsonEventLine } from './watch.js';

test('jsonEventLine frames an event as JSON.stringify({type, object}) does, encoding each object once', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a "quoted" name', resourceVersion: '7' }, data: { k: 'v\n\u2028' } };
  const cases: [string, unknown][] = [
    ['ADDED', cm],
    ['MODIFIED', cm],
    ['DELETED', { kind: 'ConfigMap', metadata: {} }],
    ['BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '12', annotations: { 'k8s.io/initial-events-end': 'true' } } }],
    ['ERROR', { kind: 'Status', code: 410, message: 'too old resource version' }],
    ['ADDED', []],
  ];
  for (const [type, object] of cases) assert.equal(jsonEventLine(type, object), `${JSON.stringify({ type, object })}\n`, `${type} ${JSON.stringify(object)}`);
  // the cached text is of the object's version it was made from: a new version is a new object
  const next = { ...cm, data: { k: 'w' } };
  assert.equal(jsonEventLine('MODIFIED', next), `${JSON.stringify({ type: 'MODIFIED', object: next })}\n`);
});

test('joinFrames makes one chunk of a turn\'s frames, in order, of the same bytes', () => {
  const cases: { frames: (string | Buffer)[]; want: string | Buffer }[] = [
    { frames: ['{"type":"ADDED"}\n'], want: '{"type":"ADDED"}\n' },
    { frames: ['a\n', 'é\n', 'c\n'], want: 'a\né\nc\n' },
    { frames: [Buffer.from([0, 0, 0, 1, 7]), Buffer.from([0, 0, 0, 2, 8, 9])], want: Buffer.from([0, 0, 0, 1, 7, 0, 0, 0, 2, 8, 9]) },
    { frames: [Buffer.from([1]), 'é'], want: Buffer.concat([Buffer.from([1]), Buffer.from('é')]) },
  ];
  for (const { frames, want } of cases) assert.deepEqual(joinFrames(frames), want);
});
