// resource.Quantity (apimachinery pkg/api/resource): parsing, arithmetic and the canonical string
// Go prints. Values are held exactly as a BigInt count of nano-units; like Go, parsing rounds
// anything finer than 1n up (away from zero).

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** the value in units of 10^-9 */
  readonly nanos: bigint;
  /** how the value prints: the suffix family it was written with */
  readonly format: QuantityFormat;
}

export const errFormatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const errNumeric = 'unable to parse numeric part of quantity';
export const errSuffix = "unable to parse quantity's suffix";

/** A malformed quantity; `message` is apimachinery's text. */
export class QuantityError extends Error {
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'QuantityError';
  }
}

const NANO = 1_000_000_000n;

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

interface Parts {
  negative: boolean;
  num: string;
  denom: string;
  suffix: string;
}

/** parseQuantityString: sign, integer digits, fraction digits, then the suffix. */
function split(str: string): Parts {
  let pos = 0;
  const end = str.length;
  let negative = false;
  if (str[0] === '-') {
    negative = true;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    pos = i;
  }
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityError(errFormatWrong, str);
  return { negative, num, denom, suffix: str.slice(suffixStart) };
}

function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  if (suffix in decimalSuffixes) return { base: 10, exponent: decimalSuffixes[suffix], format: 'DecimalSI' };
  if (suffix in binarySuffixes) return { base: 2, exponent: binarySuffixes[suffix], format: 'BinarySI' };
  const m = /^[eE]([-+]?\d+)$/.exec(suffix);
  if (m) return { base: 10, exponent: Number(m[1]), format: 'DecimalExponent' };
  return undefined;
}

/** ceil(|n| / d) with the sign of n: rounding away from zero, as inf.RoundUp does. */
function divRoundUp(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (a + d - 1n) / d;
  return neg ? -q : q;
}

/** Parses "100m", "1.5Gi", "2e3", "128974848", "1k"; throws QuantityError on bad input. */
export function parseQuantity(input: string): Quantity {
  if (input.length === 0) throw new QuantityError(errFormatWrong, input);
  if (input === '0') return { nanos: 0n, format: 'DecimalSI' };
  const { negative, num, denom, suffix } = split(input);
  const s = interpretSuffix(suffix);
  if (!s) throw new QuantityError(errSuffix, input);
  if (!/^\d+$/.test(num) || !/^\d*$/.test(denom)) throw new QuantityError(errNumeric, input);
  if (Math.abs(s.exponent) > 1000) throw new QuantityError(errNumeric, input);
  // value = digits × 10^-len(denom) × base^exponent, in nano-units
  let numerator = BigInt(num + denom) * NANO;
  let denominator = 10n ** BigInt(denom.length);
  if (s.base === 2) numerator *= 2n ** BigInt(s.exponent);
  else if (s.exponent >= 0) numerator *= 10n ** BigInt(s.exponent);
  else denominator *= 10n ** BigInt(-s.exponent);
  const nanos = divRoundUp(negative ? -numerator : numerator, denominator);
  return { nanos, format: s.format };
}

/** parseQuantity that returns undefined instead of throwing. */
export function tryParseQuantity(input: string): Quantity | undefined {
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}

/** Accepts what JSON carries: a string, or a number (int-or-string fields). */
export function quantityFrom(value: string | number): Quantity {
  return parseQuantity(typeof value === 'number' ? String(value) : value);
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** a + b in a's format (b's when a is zero, as Quantity.Add does). */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos - b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function multiplyQuantity(a: Quantity, factor: number | bigint): Quantity {
  if (typeof factor === 'number' && !Number.isInteger(factor)) throw new RangeError(`multiplyQuantity: ${factor} is not an integer`);
  return { nanos: a.nanos * BigInt(factor), format: a.format };
}

/** MilliValue: the value in milli-units, rounded up (away from zero). */
export function milliValue(q: Quantity): number {
  return Number(divRoundUp(q.nanos, 1_000_000n));
}

/** Value: the value in whole units, rounded up (away from zero). */
export function quantityValue(q: Quantity): number {
  return Number(divRoundUp(q.nanos, NANO));
}

export function quantityToNumber(q: Quantity): number {
  return Number(q.nanos) / 1e9;
}

const decimalSuffixByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binarySuffixByPower = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Quantity.String(): the canonical form ("1536Mi" for 1.5Gi, "500m" for 0.5, "2e3" stays). */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const small = q.nanos > -1024n * NANO && q.nanos < 1024n * NANO;
    // below 1024, or not a whole number: BinarySI would round, so Go prints decimal
    if (small || q.nanos % NANO !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let amount = q.nanos / NANO;
    let power = 0;
    while (power < binarySuffixByPower.length - 1 && amount % 1024n === 0n) {
      amount /= 1024n;
      power++;
    }
    return `${amount}${binarySuffixByPower[power]}`;
  }
  let amount = q.nanos;
  let exponent = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  const rem = ((exponent % 3) + 3) % 3;
  if (rem === 1) {
    amount *= 10n;
    exponent -= 1;
  } else if (rem === 2) {
    amount *= 100n;
    exponent -= 2;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  const suffix = decimalSuffixByExponent.get(exponent);
  if (suffix !== undefined) return `${amount}${suffix}`;
  // beyond exa: Go falls back to an exponent
  return `${amount}e${exponent}`;
}

/** The canonical spelling of a quantity string ("1.5Gi" → "1536Mi"); throws QuantityError. */
export function canonicalQuantity(input: string): string {
  return formatQuantity(parseQuantity(input));
}

const amounts = new Map<string, number>();

/** memoized: hot paths (estimators, simulated nodes) read the same few quantity strings over and over */
function memo(key: string, compute: () => number): number {
  const hit = amounts.get(key);
  if (hit !== undefined) return hit;
  const v = compute();
  if (amounts.size > 10_000) amounts.clear();
  amounts.set(key, v);
  return v;
}

/** A quantity as JSON carries it (string or number) in base units (cores, bytes); 0 when unset, NaN when malformed. */
export function quantityNumber(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  return memo(`n:${q}`, () => {
    const parsed = tryParseQuantity(q);
    return parsed ? quantityToNumber(parsed) : NaN;
  });
}

/** The unit Karmada compares a resource in: MilliValue for cpu, Value (whole units, rounded up) for everything else; NaN when malformed. */
export function resourceAmount(name: string, q: string | number | undefined): number {
  if (q === undefined) return 0;
  const text = String(q);
  const milli = name === 'cpu';
  return memo(`${milli ? 'm' : 'v'}:${text}`, () => {
    const parsed = tryParseQuantity(text);
    return !parsed ? NaN : milli ? milliValue(parsed) : quantityValue(parsed);
  });
}
