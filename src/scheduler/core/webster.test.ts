import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { allocateWebsterSeats, type Party, type TieBreaker, type WebsterRound } from './webster.js';
import { dispenseByWeight, fnv32a, tieBreakerByUID } from './dispenser.js';

// Expected results are Karmada v1.19's (pkg/util/helper/webstermethod_test.go and binding_test.go).
const votes = (o: Record<string, number>) => new Map(Object.entries(o));
const seats = (ps: Party[]) => Object.fromEntries(ps.map((p) => [p.name, p.seats]));

describe('allocateWebsterSeats', () => {
  const classic = votes({ PartyA: 100000, PartyB: 80000, PartyC: 30000, PartyD: 20000 });
  const rounds: [number, number, number, number][] = [
    [1, 0, 0, 0],
    [1, 1, 0, 0],
    [2, 1, 0, 0],
    [2, 1, 1, 0],
    [2, 2, 1, 0],
    [2, 2, 1, 1],
    [3, 2, 1, 1],
    [3, 3, 1, 1],
  ];
  rounds.forEach(([a, b, c, d], i) =>
    test(`the classic example, round ${i + 1}`, () => {
      assert.deepEqual(seats(allocateWebsterSeats(i + 1, classic)), { PartyA: a, PartyB: b, PartyC: c, PartyD: d });
    }),
  );

  const cases: { name: string; n: number; votes: Record<string, number>; init?: Record<string, number>; tie?: TieBreaker; want: Record<string, number> }[] = [
    { name: 'no parties, no result', n: 1, votes: {}, want: {} },
    { name: 'no seats: every party at 0', n: 0, votes: { PartyA: 100, PartyB: 200 }, want: { PartyA: 0, PartyB: 0 } },
    { name: 'equal priority: fewer seats wins', n: 1, votes: { PartyA: 3, PartyB: 1 }, init: { PartyA: 1, PartyB: 0 }, want: { PartyA: 1, PartyB: 1 } },
    { name: 'equal priority and seats: the smaller name wins', n: 1, votes: { PartyA: 1, PartyB: 1 }, want: { PartyA: 1, PartyB: 0 } },
    { name: 'a tie-breaker decides ties', n: 1, votes: { PartyA: 1, PartyB: 1 }, tie: (a, b) => a.name > b.name, want: { PartyA: 0, PartyB: 1 } },
    { name: 'new parties take the seats over an old one without votes', n: 2, votes: { NewParty1: 1, NewParty2: 1 }, init: { OldParty: 0 }, want: { NewParty1: 1, NewParty2: 1, OldParty: 0 } },
    { name: 'old and new parties compete', n: 2, votes: { OldParty: 1, NewParty: 1 }, init: { OldParty: 1 }, want: { NewParty: 2, OldParty: 1 } },
    { name: 'an initial party without votes keeps its seats', n: 2, votes: { PartyA: 100 }, init: { PartyB: 3 }, want: { PartyA: 2, PartyB: 3 } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = allocateWebsterSeats(c.n, votes(c.votes), votes(c.init ?? {}), c.tie);
      assert.deepEqual(seats(got), c.want);
      assert.deepEqual(got.map((p) => p.name), Object.keys(c.want).sort(), 'sorted by name');
    });
  }

  test('rounds record who got each seat', () => {
    const r: WebsterRound[] = [];
    allocateWebsterSeats(3, votes({ a: 2, b: 1 }), undefined, undefined, r);
    assert.deepEqual(r, [
      { party: 'a', votes: 2, seats: 0 },
      { party: 'b', votes: 1, seats: 0 },
      { party: 'a', votes: 2, seats: 1 },
    ]);
  });
});

describe('dispenseByWeight (Karmada Test_dispenser_AllocateByWeight)', () => {
  const evenUID = '4858ca61-3ff8-4095-8267-f3d059d8074c';
  const oddUID = 'd43fdeeb-d750-4e2b-bee3-64eb94534f4c';
  const w = (o: Record<string, number>) => Object.entries(o).map(([name, weight]) => ({ name, weight }));
  const init = [
    { name: 'A', replicas: 1 },
    { name: 'B', replicas: 2 },
    { name: 'C', replicas: 3 },
  ];
  const cases: { name: string; n: number; init?: typeof init; weights: Record<string, number>; uid?: string; want: Record<string, number> }[] = [
    { name: 'scale up 6 replicas', n: 6, init, weights: { A: 1, B: 2, C: 3 }, want: { A: 2, B: 4, C: 6 } },
    { name: 'scale up 3 replicas', n: 3, init, weights: { A: 1, B: 2, C: 3 }, want: { A: 2, B: 3, C: 4 } },
    { name: 'scale up 2 replicas', n: 2, init, weights: { A: 1, B: 2, C: 3 }, want: { A: 1, B: 3, C: 4 } },
    { name: 'HA 2:1, 1 replica', n: 1, weights: { A: 2, B: 1 }, want: { A: 1, B: 0 } },
    { name: 'HA 2:1, 2 replicas', n: 2, weights: { A: 2, B: 1 }, want: { A: 1, B: 1 } },
    { name: 'HA 2:1, 3 replicas', n: 3, weights: { A: 2, B: 1 }, want: { A: 2, B: 1 } },
    { name: 'brand new 5 at 170:110:60', n: 5, weights: { A: 170, B: 110, C: 60 }, want: { A: 2, B: 2, C: 1 } },
    { name: 'brand new 6 at 170:110:60', n: 6, weights: { A: 170, B: 110, C: 60 }, want: { A: 3, B: 2, C: 1 } },
    { name: '5 at 1:1 with an odd UID: ties favour the larger name', n: 5, weights: { A: 1, B: 1 }, uid: oddUID, want: { A: 2, B: 3 } },
    { name: '5 at 1:1 with an even UID: ties favour the smaller name', n: 5, weights: { A: 1, B: 1 }, uid: evenUID, want: { A: 3, B: 2 } },
    { name: '12 at 1:1:1', n: 12, weights: { A: 5, B: 5, C: 5 }, want: { A: 4, B: 4, C: 4 } },
    { name: '13 at 1:2:3', n: 13, weights: { A: 1, B: 2, C: 3 }, want: { A: 2, B: 4, C: 7 } },
    { name: 'one cluster takes all', n: 10, weights: { A: 5 }, want: { A: 10 } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = dispenseByWeight(c.n, w(c.weights), c.init ?? [], c.uid);
      assert.deepEqual(Object.fromEntries(got.map((t) => [t.name, t.replicas])), c.want);
    });
  }

  test('nothing to hand out keeps the initial result', () => assert.deepEqual(dispenseByWeight(0, w({ A: 1 }), init, undefined), init));
  test('FNV-1a 32 parity of the reference UIDs', () => {
    assert.equal(fnv32a(oddUID) & 1, 1);
    assert.equal(fnv32a(evenUID) & 1, 0);
    assert.equal(fnv32a(''), 0x811c9dc5);
    assert.equal(fnv32a('a'), 0xe40c292c);
  });
  test('the UID tie-breaker still prefers fewer seats', () => {
    const tie = tieBreakerByUID(oddUID);
    assert.equal(tie({ name: 'A', votes: 1, seats: 0 }, { name: 'B', votes: 3, seats: 1 }), true);
  });
});
