import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../apimachinery/errors.js';
import type { Condition, KubeObject } from '../../apimachinery/types.js';
import type { KubeClient } from '../../runtime/client.js';
import { isOwnLastWrite, jsonEqual, remember, setCondition, statusWriteBody, updateStatus, withOwnStatus } from './status.js';

describe('setCondition (meta.SetStatusCondition)', () => {
  const old: Condition[] = [{ type: 'Applied', status: 'True', reason: 'AppliedSuccessful', message: 'ok', lastTransitionTime: 't0' }];
  const cases: { name: string; set: Condition; want: Condition[] }[] = [
    { name: 'same status keeps the transition time but takes the new reason and message', set: { type: 'Applied', status: 'True', reason: 'R', message: 'm' }, want: [{ type: 'Applied', status: 'True', reason: 'R', message: 'm', lastTransitionTime: 't0' }] },
    { name: 'a status change moves the transition time', set: { type: 'Applied', status: 'False', reason: 'AppliedFailed', message: 'x' }, want: [{ type: 'Applied', status: 'False', reason: 'AppliedFailed', message: 'x', lastTransitionTime: 'now' }] },
    { name: 'a new type is appended', set: { type: 'Dispatching', status: 'True', reason: 'Dispatching', message: 'd' }, want: [old[0], { type: 'Dispatching', status: 'True', reason: 'Dispatching', message: 'd', lastTransitionTime: 'now' }] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(setCondition(old, c.set, 'now'), c.want));
});

describe('jsonEqual', () => {
  const cases = [
    { name: 'key order does not matter', a: { a: 1, b: [1, { c: 2, d: 3 }] }, b: { b: [1, { d: 3, c: 2 }], a: 1 }, want: true },
    { name: 'array order matters', a: [1, 2], b: [2, 1], want: false },
    { name: 'undefined members are absent', a: { a: 1, b: undefined }, b: { a: 1 }, want: true },
    { name: 'a missing key differs', a: { a: 1 }, b: { a: 1, c: 1 }, want: false },
    { name: 'a key missing on the other side differs', a: { a: 1, c: 1 }, b: { a: 1 }, want: false },
    { name: 'same count, other keys', a: { a: 1, b: undefined, c: 1 }, b: { a: 1, d: 1 }, want: false },
    { name: 'an array is not an object with index keys', a: [1], b: { 0: 1 }, want: false },
    { name: 'null is not an empty object', a: null, b: {}, want: false },
    { name: 'numbers and strings differ', a: { a: 1 }, b: { a: '1' }, want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(jsonEqual(c.a, c.b), c.want));
});

describe('updateStatus from a known copy', () => {
  type Obj = KubeObject & { status?: { n?: number } };
  /** a fake client over one object: counts reads and writes, 409s a stale resourceVersion */
  function fake(live: Obj) {
    const calls = { gets: 0, writes: 0 };
    const client = {
      async get() {
        calls.gets++;
        return structuredClone(live);
      },
      async updateStatus(o: Obj) {
        calls.writes++;
        if (o.metadata.resourceVersion !== live.metadata.resourceVersion) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 409, reason: 'Conflict', message: 'conflict' });
        live = { ...structuredClone(o), metadata: { ...o.metadata, resourceVersion: String(Number(o.metadata.resourceVersion) + 1) } };
        return structuredClone(live);
      },
    } as unknown as KubeClient;
    return { client, calls, live: () => live };
  }
  const obj = (rv: string, n: number): Obj => ({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', resourceVersion: rv }, status: { n } });
  const setN = (n: number) => (o: Obj) => {
    if (o.status?.n === n) return false;
    o.status = { n };
    return true;
  };
  const cases = [
    { name: 'a fresh copy that needs a write saves the read', live: obj('5', 1), known: obj('5', 1), want: 2, gets: 0, writes: 1 },
    { name: 'a stale copy costs a 409 and a fresh read', live: obj('6', 1), known: obj('5', 1), want: 2, gets: 1, writes: 2 },
    { name: 'a copy that needs no write asks the live object, which may differ', live: obj('6', 3), known: obj('5', 2), want: 2, gets: 1, writes: 1 },
    { name: 'nothing to do: one read, no write', live: obj('5', 2), known: obj('5', 2), want: 2, gets: 1, writes: 0 },
    { name: 'no copy: read then write', live: obj('5', 1), known: undefined, want: 2, gets: 1, writes: 1 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const f = fake(c.live);
      await updateStatus<Obj>(f.client, { group: '', version: 'v1', resource: 'xs' }, 'a', undefined, setN(c.want), undefined, c.known);
      assert.equal(f.live().status?.n, c.want);
      assert.deepEqual(f.calls, { gets: c.gets, writes: c.writes });
    });
  }

  test('trustKnown: a copy that needs no write is believed (no read); one that needs a write still writes', async () => {
    const ref = { group: '', version: 'v1', resource: 'xs' };
    const quiet = fake(obj('6', 3));
    assert.equal(await updateStatus<Obj>(quiet.client, ref, 'a', undefined, setN(2), undefined, obj('5', 2), { trustKnown: true }), undefined);
    assert.deepEqual(quiet.calls, { gets: 0, writes: 0 });
    const stale = fake(obj('6', 1));
    await updateStatus<Obj>(stale.client, ref, 'a', undefined, setN(2), undefined, obj('5', 1), { trustKnown: true });
    assert.equal(stale.live().status?.n, 2);
    assert.deepEqual(stale.calls, { gets: 1, writes: 2 }, 'the 409 of a stale copy is still read past');
  });

  test('mutate changes a copy: the known object (an informer cache entry) stays as it was', async () => {
    const known: Obj & { spec: { big: number[] } } = { ...obj('5', 1), spec: { big: [1, 2, 3] } };
    const before = structuredClone(known);
    const f = fake(structuredClone(known));
    await updateStatus<Obj>(f.client, { group: '', version: 'v1', resource: 'xs' }, 'a', undefined, (o) => ((o.status!.n = 9), (o.metadata.labels = { x: 'y' }), true), undefined, known);
    assert.deepEqual(known, before);
    assert.equal(f.live().status?.n, 9);
  });

  test('our own last write stands in for a cached copy that has not caught up with it', async () => {
    const withUid = (o: Obj): Obj => ({ ...o, metadata: { ...o.metadata, uid: 'u-fresh' } });
    const f = fake(withUid(obj('5', 1)));
    const ref = { group: '', version: 'v1', resource: 'xs' };
    await updateStatus<Obj>(f.client, ref, 'a', undefined, setN(2), undefined, withUid(obj('5', 1)));
    // the informer still holds resourceVersion 5
    await updateStatus<Obj>(f.client, ref, 'a', undefined, setN(3), undefined, withUid(obj('5', 1)));
    assert.equal(f.live().status?.n, 3);
    assert.deepEqual(f.calls, { gets: 0, writes: 2 }, 'no 409, no read');
  });
});

describe('statusWriteBody: a status write sends no spec (every status strategy keeps the stored one)', () => {
  const cases: { name: string; obj: Record<string, unknown>; want: Record<string, unknown> }[] = [
    { name: 'the spec is left out, the rest sent', obj: { kind: 'Work', metadata: { name: 'w' }, spec: { workload: { manifests: [{}] } }, status: { a: 1 } }, want: { kind: 'Work', metadata: { name: 'w' }, status: { a: 1 } } },
    { name: 'other top-level fields stay (a custom resource\'s status strategy takes them from the body)', obj: { kind: 'X', metadata: {}, data: { k: 'v' }, status: {} }, want: { kind: 'X', metadata: {}, data: { k: 'v' }, status: {} } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(statusWriteBody(c.obj as unknown as KubeObject), c.want));
  test('the object given is not changed', () => {
    const o = { kind: 'Work', metadata: {}, spec: { s: 1 }, status: {} } as unknown as KubeObject;
    statusWriteBody(o);
    assert.deepEqual(o.spec, { s: 1 });
  });
});

describe('withOwnStatus', () => {
  test('copies status and metadata, shares the rest', () => {
    const o = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a' }, spec: { m: [1] }, status: { c: [{ t: 1 }] } } as KubeObject;
    const c = withOwnStatus(o);
    assert.deepEqual(c, o);
    assert.notEqual(c.status, o.status);
    assert.notEqual((c.status as { c: unknown[] }).c, (o.status as { c: unknown[] }).c);
    assert.notEqual(c.metadata, o.metadata);
    assert.equal(c.spec, o.spec);
    assert.equal('status' in withOwnStatus({ ...o, status: undefined }), true);
    assert.equal('status' in withOwnStatus({ apiVersion: 'v1', kind: 'X', metadata: {} } as KubeObject), false);
  });
});

describe('isOwnLastWrite: an informer copy that is the echo of our last write', () => {
  const client = {} as KubeClient;
  const at = (uid: string, rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'X', metadata: { name: 'x', uid, resourceVersion: rv } });
  remember(client, at('u1', '7'));
  remember(client, at('u1', '9'));
  const cases = [
    { name: 'the version we wrote last', obj: at('u1', '9'), want: true },
    { name: 'an earlier write of ours', obj: at('u1', '7'), want: false },
    { name: 'a later write by someone else', obj: at('u1', '10'), want: false },
    { name: 'an object we never wrote', obj: at('u2', '9'), want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(isOwnLastWrite(client, c.obj), c.want));
  test('another client’s writes are not ours', () => assert.equal(isOwnLastWrite({} as KubeClient, at('u1', '9')), false));
});
