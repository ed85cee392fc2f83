import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import type { KubeClient, RawWatchEventType } from '../runtime/client.js';
import { MultiClusterCache, type WantedCaches } from './multi-cluster-cache.js';
import { ResourceCache } from './resource-cache.js';
import { parseMultiClusterRV } from './versions.js';
import { restoreMemberObject } from './serve.js';

/** a member's pods API as a reflector sees it: paged lists at a revision, then a watch that tests drive */
class FakeMember {
  rv = 10;
  pods = new Map<string, KubeObject>();
  private watchers: ((type: RawWatchEventType, obj: KubeObject) => void)[] = [];
  constructor(names: string[]) {
    for (const n of names) this.pods.set(n, this.pod(n));
  }
  pod(name: string, labels: Record<string, string> = { app: 'web' }): KubeObject {
    return { metadata: { name, namespace: 'default', resourceVersion: String(this.rv), labels, managedFields: [{ manager: 'kubectl' }] as never, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' } }, spec: {} };
  }
  write(type: 'ADDED' | 'MODIFIED' | 'DELETED', name: string): void {
    this.rv++;
    const obj = this.pod(name);
    if (type === 'DELETED') this.pods.delete(name);
    else this.pods.set(name, obj);
    for (const w of this.watchers) w(type, obj);
  }
  client(): KubeClient {
    return {
      list: async (_gvr: unknown, opts: { limit?: number; continue?: string }) => {
        const names = [...this.pods.keys()].sort();
        const from = opts.continue ? names.indexOf(opts.continue) + 1 : 0;
        const page = names.slice(from, from + (opts.limit ?? names.length));
        const more = from + page.length < names.length;
        return { metadata: { resourceVersion: String(this.rv), ...(more ? { continue: page[page.length - 1] } : {}) }, items: page.map((n) => this.pods.get(n)!) };
      },
      watch: async (_gvr: unknown, _opts: unknown, onEvent: (type: RawWatchEventType, obj: KubeObject) => void) => {
        this.watchers.push(onEvent);
        return { stop: () => (this.watchers = this.watchers.filter((w) => w !== onEvent)) };
      },
    } as unknown as KubeClient;
  }
}

const podsGVR = { group: '', version: 'v1', resource: 'pods' };
const tick = () => new Promise((r) => setImmediate(r));

async function cacheOf(members: Record<string, FakeMember>): Promise<MultiClusterCache> {
  const cache = new MultiClusterCache();
  const wanted: WantedCaches = new Map(Object.keys(members).map((m) => [m, new Map([['/v1/pods', { gvr: podsGVR, apiVersion: 'v1', kind: 'Pod' }]])]));
  cache.update(wanted, new Set(['/v1/pods']), new Map(Object.entries(members).map(([n, m]) => [n, m.client()])));
  await cache.ready(podsGVR);
  return cache;
}

test('cached objects are compact: no managedFields, no last-applied, the cluster annotation in', async () => {
  const m = new FakeMember(['a']);
  const cache = await cacheOf({ member1: m });
  const { entry } = cache.get(podsGVR, 'default', 'a');
  const obj = JSON.parse(entry.json.toString()) as KubeObject;
  assert.equal(obj.metadata.managedFields, undefined);
  assert.deepEqual(obj.metadata.annotations, { keep: 'me', 'resource.karmada.io/cached-from-cluster': 'member1' });
  assert.equal(obj.kind, 'Pod');
  cache.stop();
});

test('limit and continue walk the members in name order, every object once', async () => {
  const members = { member2: new FakeMember(['d', 'e']), member1: new FakeMember(['a', 'b', 'c']), member3: new FakeMember([]) };
  const cache = await cacheOf(members);
  for (const limit of [1, 2, 3, 5, 100]) {
    const seen: string[] = [];
    let token: string | undefined;
    let rv: string | undefined;
    do {
      const page = cache.list(podsGVR, { limit, continue: token, keep: () => true });
      assert.ok(page.items.length <= limit);
      rv ??= page.resourceVersion;
      seen.push(...page.items.map((i) => `${i.cluster}/${i.entry.name}`));
      token = page.continue || undefined;
    } while (token);
    assert.deepEqual(seen, ['member1/a', 'member1/b', 'member1/c', 'member2/d', 'member2/e'], `limit ${limit}`);
    assert.deepEqual([...parseMultiClusterRV(rv).rvs.keys()].sort(), ['member1', 'member2', 'member3']);
  }
  assert.throws(() => cache.list(podsGVR, { continue: 'bogus', keep: () => true }), /invalid continue token/);
  cache.stop();
});

test('get: one member holds it; two is a conflict naming both; none is NotFound', async () => {
  const cache = await cacheOf({ member1: new FakeMember(['a', 'x']), member2: new FakeMember(['x']) });
  assert.equal(cache.get(podsGVR, 'default', 'a').cluster, 'member1');
  assert.throws(() => cache.get(podsGVR, 'default', 'x'), /ambiguous objects in clusters \[member1, member2\]/);
  assert.throws(() => cache.get(podsGVR, 'default', 'nope'), /pods "nope" not found/);
  cache.stop();
});

test('watch: resumes from a list\'s version with each member\'s later events, merged; too old is gone', async () => {
  const m1 = new FakeMember(['a']);
  const m2 = new FakeMember(['b']);
  const cache = await cacheOf({ member1: m1, member2: m2 });
  const listed = cache.list(podsGVR, { keep: () => true });
  m1.write('ADDED', 'c');
  m2.write('DELETED', 'b');
  await tick();
  const events: string[] = [];
  const w = cache.watch(podsGVR, listed.resourceVersion, () => true, (e, cluster, rv) => events.push(`${e.type} ${cluster}/${e.entry.name} ${JSON.stringify(Object.fromEntries(parseMultiClusterRV(rv).rvs))}`), () => {});
  assert.ok(!('gone' in w));
  m2.write('ADDED', 'z');
  assert.deepEqual(events, ['ADDED member1/c {"member1":"11","member2":"10"}', 'DELETED member2/b {"member1":"11","member2":"11"}', 'ADDED member2/z {"member1":"11","member2":"12"}']);
  w.stop();
  const gone = cache.watch(podsGVR, Buffer.from(JSON.stringify({ member1: '1' })).toString('base64url'), () => true, () => {}, () => {});
  assert.ok('gone' in gone && /too old resource version: 1/.test(gone.gone));
  cache.stop();
});

test('a member that joins ends open watches, so clients re-watch and see it', async () => {
  const cache = await cacheOf({ member1: new FakeMember(['a']) });
  let ended = false;
  cache.watch(podsGVR, '', () => true, () => {}, () => (ended = true));
  const m2 = new FakeMember(['b']);
  cache.update(new Map([['member1', new Map([['/v1/pods', { gvr: podsGVR, apiVersion: 'v1', kind: 'Pod' }]])], ['member2', new Map([['/v1/pods', { gvr: podsGVR, apiVersion: 'v1', kind: 'Pod' }]])]]), new Set(['/v1/pods']), new Map([['member1', cache['clusters'].get('member1')!.client], ['member2', m2.client()]]));
  assert.ok(ended);
  cache.stop();
});

test('ResourceCache.subscribe from 0 replays the current objects as ADDED', async () => {
  const c = new ResourceCache({ cluster: 'm', gvr: podsGVR, apiVersion: 'v1', kind: 'Pod', client: new FakeMember(['a', 'b']).client() });
  c.start();
  await c.waitForSync(1000);
  const seen: string[] = [];
  c.subscribe('0', (e) => seen.push(`${e.type} ${e.entry.name}`))!.stop();
  assert.deepEqual(seen, ['ADDED a', 'ADDED b']);
  c.stop();
});

const restoreCases: [string, object, object][] = [
  ['drops the cache annotation and takes the member\'s version', { metadata: { name: 'a', resourceVersion: Buffer.from('{"m1":"7","m2":"9"}').toString('base64url'), annotations: { 'resource.karmada.io/cached-from-cluster': 'm2', x: 'y' } } }, { metadata: { name: 'a', resourceVersion: '9', annotations: { x: 'y' } } }],
  ['keeps a plain version', { metadata: { name: 'a', resourceVersion: '42' } }, { metadata: { name: 'a', resourceVersion: '42' } }],
];
for (const [name, input, want] of restoreCases) {
  test(`restoreMemberObject: ${name}`, () => assert.deepEqual(JSON.parse(restoreMemberObject(Buffer.from(JSON.stringify(input)), 'application/json', 'm2').toString()), want));
}

test('writeList: a list larger than one write chunk is still one valid JSON document', async () => {
  const { createServer } = await import('node:http');
  const { writeList } = await import('./serve.js');
  const def = { listKind: 'PodList', group: '', version: 'v1' } as never;
  const items = Array.from({ length: 3000 }, (_, i) => ({ key: `default/p${i}`, name: `p${i}`, namespace: 'default', rv: '1', json: Buffer.from(JSON.stringify({ metadata: { name: `p${i}` }, pad: 'x'.repeat(600) })) }));
  const server = createServer((_req, res) => writeList(res, def, { kind: 'object', encoding: 'json' }, { items, resourceVersion: 'rv', continue: '' }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const { port } = server.address() as { port: number };
    const list = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { kind: string; metadata: object; items: { metadata: { name: string } }[] };
    assert.equal(list.kind, 'PodList');
    assert.deepEqual(list.metadata, { resourceVersion: 'rv' });
    assert.equal(list.items.length, 3000);
    assert.equal(list.items[2999]!.metadata.name, 'p2999');
  } finally {
    server.close();
  }
});
