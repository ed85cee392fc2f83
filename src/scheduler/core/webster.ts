// Webster (Sainte-Laguë) seat allocation, as Karmada's helper.AllocateWebsterSeats: each next seat
// goes to the party with the highest votes/(2·seats+1); ties go to the caller's tie-breaker, else to
// the party with fewer seats, then the smaller name.

export interface Party {
  name: string;
  votes: number;
  seats: number;
}

/** true when `a` should get the seat before `b` (only asked when their priorities are equal) */
export type TieBreaker = (a: Party, b: Party) => boolean;

/** One seat handed out, for --explain. */
export interface WebsterRound {
  party: string;
  votes: number;
  /** seats the party held before this round */
  seats: number;
}

function priority(p: Party): number {
  return p.votes / (2 * p.seats + 1);
}

function defaultTieBreaker(a: Party, b: Party): boolean {
  if (a.seats !== b.seats) return a.seats < b.seats;
  return a.name < b.name;
}

function before(tie: TieBreaker): (a: Party, b: Party) => boolean {
  return (a, b) => {
    const pa = priority(a);
    const pb = priority(b);
    return pa === pb ? tie(a, b) : pa > pb;
  };
}

// A binary max-heap: with 1,000 clusters and many seats a linear scan per seat would dominate.
function siftDown(h: Party[], i: number, less: (a: Party, b: Party) => boolean): void {
  const n = h.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) return;
    let m = l;
    if (l + 1 < n && less(h[l + 1], h[l])) m = l + 1;
    if (!less(h[m], h[i])) return;
    [h[i], h[m]] = [h[m], h[i]];
    i = m;
  }
}

function byName(a: Party, b: Party): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Hands out `newSeats` seats. Parties in `initial` but without votes keep their seats and take part
 * with 0 votes (the lowest priority). The result is every party, sorted by name.
 */
export function allocateWebsterSeats(
  newSeats: number,
  votes: ReadonlyMap<string, number>,
  initial: ReadonlyMap<string, number> = new Map(),
  tieBreaker?: TieBreaker,
  rounds?: WebsterRound[],
): Party[] {
  const parties = new Map<string, Party>();
  for (const [name, seats] of initial) parties.set(name, { name, votes: 0, seats });
  for (const [name, v] of votes) {
    const p = parties.get(name);
    if (p) p.votes = v;
    else parties.set(name, { name, votes: v, seats: 0 });
  }
  const heap = [...parties.values()];
  if (heap.length === 0) return [];
  const first = before(tieBreaker ?? defaultTieBreaker);
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i, first);
  for (let left = newSeats; left > 0; left--) {
    const top = heap[0];
    rounds?.push({ party: top.name, votes: top.votes, seats: top.seats });
    top.seats++;
    siftDown(heap, 0, first);
  }
  return heap.sort(byName);
}
