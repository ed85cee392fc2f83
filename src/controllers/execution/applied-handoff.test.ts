// The Applied handoff between the execution and work status controllers: held until the work status
// controller writes it, brought to it at the end of the hold, back to the execution controller past that.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { AppliedHandoff, type AppliedConditions } from './applied-handoff.js';

const conditions = (): AppliedConditions => ({ apply: () => true, written: () => {} });

function setup(t: TestContext, consumer = true) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = new AppliedHandoff({ holdMs: 100, fallbackMs: 50 });
  const reflected: string[] = [];
  const fellBack: string[] = [];
  const given: AppliedConditions[] = [];
  if (consumer) h.consume((k) => reflected.push(k));
  const offer = (key: string, c = conditions()) =>
    h.offer(key, c, (k, back) => {
      fellBack.push(k);
      given.push(back);
    });
  return { h, reflected, fellBack, given, offer };
}

test('with no work status controller the execution controller writes the conditions itself', (t) => {
  const { h, offer } = setup(t, false);
  assert.equal(offer('es/w'), false);
  assert.equal(h.size, 0);
});

test('offered: the work status controller is asked at once and again when the hold is over; written in time, no fallback', (t) => {
  const { h, reflected, fellBack, offer } = setup(t);
  const c = conditions();
  assert.equal(offer('es/w', c), true);
  assert.deepEqual(reflected, ['es/w']);
  assert.deepEqual(h.peek('es/w'), { conditions: c, due: false });
  t.mock.timers.tick(100);
  assert.deepEqual(reflected, ['es/w', 'es/w']);
  assert.deepEqual(h.peek('es/w'), { conditions: c, due: true });
  h.settle('es/w', c);
  t.mock.timers.tick(1000);
  assert.deepEqual(fellBack, []);
  assert.equal(h.peek('es/w'), undefined);
  assert.equal(h.size, 0);
});

test('not written by the end of the fallback: back to the execution controller, whose next offer writes itself', (t) => {
  const { h, fellBack, offer } = setup(t);
  offer('es/w');
  t.mock.timers.tick(149);
  assert.deepEqual(fellBack, []);
  t.mock.timers.tick(1);
  assert.deepEqual(fellBack, ['es/w']);
  assert.equal(h.peek('es/w'), undefined, 'the work status controller no longer carries them');
  assert.equal(offer('es/w'), false);
  assert.equal(h.size, 0);
  assert.equal(offer('es/w'), true, 'a later apply hands over again');
});

test('applied again within the hold: the newest conditions, the first deadline; a settle of older ones leaves the newer', (t) => {
  const { h, offer, given } = setup(t);
  const first = conditions();
  const second = conditions();
  offer('es/w', first);
  t.mock.timers.tick(60);
  offer('es/w', second);
  assert.equal(h.peek('es/w')?.conditions, second);
  t.mock.timers.tick(40);
  assert.equal(h.peek('es/w')?.due, true, 'due at the first offer’s deadline');
  h.settle('es/w', first);
  assert.equal(h.peek('es/w')?.conditions, second);
  t.mock.timers.tick(50);
  assert.deepEqual(given, [second], 'the newest conditions come back to be written');
});

test('cancel forgets the handoff and its timers; keys are apart', (t) => {
  const { h, reflected, fellBack, offer } = setup(t);
  offer('es/a');
  offer('es/b');
  h.cancel('es/a');
  t.mock.timers.tick(1000);
  assert.deepEqual(fellBack, ['es/b']);
  assert.deepEqual(reflected, ['es/a', 'es/b', 'es/b']);
});
