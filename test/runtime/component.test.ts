// runComponent against a real API server: without election one Manager runs at once; with it, one
// candidate at a time builds and runs a Manager, and stopping the leader hands the Lease over.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { eventually } from '../support/kubectl.js';
import { KubeClient } from '../../src/runtime/client.js';
import { runComponent, type ComponentHandle } from '../../src/runtime/component.js';
import { Manager } from '../../src/runtime/controller.js';

const timings = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 };

describe('runComponent', () => {
  let ts: TestServer;
  let client: KubeClient;
  before(async () => {
    ts = await startTestServer();
    client = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
  });
  after(async () => {
    client.close();
    await ts.stop();
  });

  test('without leader election the Manager is built before runComponent resolves and runs until stop', async () => {
    const component = await runComponent({ name: 'plain', client, build: () => new Manager() });
    assert.ok(component.manager);
    assert.equal(component.isLeader(), true);
    await eventually(() => component.manager!.running, 'the manager runs');
    await component.stop();
    await component.done;
    assert.equal(component.isLeader(), false);
    assert.equal(component.manager!.running, false);
  });

  test('with leader election one candidate runs a Manager; stopping it hands over to the other', async () => {
    const terms: string[] = [];
    const candidate = (identity: string) =>
      runComponent({
        name: 'elected',
        client,
        leaderElect: { namespace: 'default', identity, ...timings },
        build: () => {
          terms.push(identity);
          return new Manager();
        },
      });
    const a = await candidate('a');
    const b = await candidate('b');
    const leaderOf = () => [a, b].filter((c) => c.isLeader());
    await eventually(() => leaderOf().length === 1, 'one leader');
    const first: ComponentHandle = leaderOf()[0]!;
    const second = first === a ? b : a;
    await eventually(() => first.manager?.running, 'the leader runs its manager');
    assert.equal(second.manager, undefined, 'the other built nothing');
    await first.stop();
    await eventually(() => second.isLeader() && second.manager?.running, 'the other takes over and runs', 15_000);
    assert.equal(first.manager!.running, false, 'the first manager stopped');
    assert.deepEqual(terms, [first === a ? 'a' : 'b', first === a ? 'b' : 'a']);
    await second.stop();
  });
});
