// Karmada v1.17's priority queue at a controller-manager restart: what the informers list first is
// queued at low priority, so a change made now is reconciled before the backlog of unchanged objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import { newControllerManagedBy } from './builder.js';
import { Manager } from './controller.js';
import type { ListWatchSource, WatchEventType } from './informer.js';

const cm = (name: string, rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: rv } });

test('after a restart a fresh change is reconciled before the backlog from the initial list', async () => {
  const backlog = Array.from({ length: 200 }, (_, i) => cm(`old-${i}`, '1'));
  let emit: ((type: WatchEventType, o: KubeObject) => void) | undefined;
  const source: ListWatchSource = {
    list: async () => ({ items: backlog, resourceVersion: '1' }),
    async watch(_rv, onEvent) {
      emit = onEvent;
      return { stop: () => void (emit = undefined) };
    },
  };
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const manager = new Manager();
  newControllerManagedBy(manager, 'restart')
    .for(manager.sharedInformer('cms', () => source))
    .workers(2)
    .complete(async (key) => {
      order.push(key);
      await gate;
      await new Promise((r) => setImmediate(r));
    });
  await manager.start();
  // the workers hold the first two keys of the backlog; a user edits one object and creates another
  emit!('MODIFIED', cm('old-150', '2'));
  emit!('ADDED', cm('fresh', '3'));
  release();
  while (order.length < backlog.length + 1) await new Promise((r) => setTimeout(r, 5));
  await manager.stop();
  assert.deepEqual(order.slice(0, 4), ['ns/old-0', 'ns/old-1', 'ns/old-150', 'ns/fresh'], 'the two fresh changes right after what was already in hand');
  assert.equal(new Set(order).size, backlog.length + 1, 'every key reconciled once');
});
