// Kubernetes resource.Quantity strings ("500m", "2Gi", "1e3") as numbers, with the two roundings
// the estimators use: Value() (whole units, rounded up) and MilliValue() (thousandths, rounded up).

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const pattern = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const cache = new Map<string, number>();

/** The quantity in base units (cores, bytes, pods); NaN when the text is not a quantity. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const hit = cache.get(q);
  if (hit !== undefined) return hit;
  const m = pattern.exec(q.trim());
  let v = NaN;
  if (m) {
    const n = Number(m[1]);
    const suffix = m[2] ?? '';
    if (suffix in binary) v = n * binary[suffix];
    else if (suffix in decimal) v = n * decimal[suffix];
    else v = n * 10 ** Number(suffix.slice(1));
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(q, v);
  return v;
}

// Float products such as 0.1 * 1000 land a hair above the whole number; do not round those up.
function ceilTolerant(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) <= 1e-9 * Math.max(1, Math.abs(v)) ? r : Math.ceil(v);
}

/** resource.Quantity.Value(): whole units, rounded up. */
export function quantityValue(q: string | number | undefined): number {
  return ceilTolerant(parseQuantity(q));
}

/** resource.Quantity.MilliValue(): thousandths, rounded up. */
export function quantityMilli(q: string | number | undefined): number {
  return ceilTolerant(parseQuantity(q) * 1000);
}

/** The unit Karmada compares a resource in: milli for cpu, whole units for everything else. */
export function resourceAmount(name: string, q: string | number | undefined): number {
  return name === 'cpu' ? quantityMilli(q) : quantityValue(q);
}
