// Ages as kubectl prints them, from apimachinery's pkg/util/duration. Go truncates every
// division toward zero; so do we.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const trunc = Math.trunc;

/** duration.HumanDuration: ~2-3 significant figures (`90s`, `5m3s`, `2h5m`, `3d4h`, `400d`, `2y10d`). */
export function humanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND);
  // up to 2s in the future is clock skew and counts as "now"
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${trunc(hours / 24)}d` : `${trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = trunc(hours / 24) % 365;
    return dy === 0 ? `${trunc(hours / 24 / 365)}y` : `${trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${trunc(hours / 24 / 365)}y`;
}

/** duration.ShortHumanDuration: one unit only (`59s`, `5m`, `3h`, `12d`, `2y`). */
export function shortHumanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${trunc(hours / 24)}d`;
  return `${trunc(hours / 24 / 365)}y`;
}

/** The age of an RFC 3339 timestamp at `now`, as a Table cell shows it; '<unknown>' when absent. */
export function humanAge(timestamp: string | undefined, now: Date = new Date()): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

/** Go's time.ParseDuration for the simple forms ("300ms", "1.5s", "2m", "1h30m"); undefined when malformed */
export function parseGoDuration(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  if (s === '0') return 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]];
    pos = re.lastIndex;
  }
  return total;
}

/** a Go duration flag (`60s`, `1m30s`, `1.5h`) in milliseconds, with pflag's error when malformed */
export function goDurationFlag(text: string, flag: string): number {
  const ms = parseGoDuration(text);
  if (ms === undefined) throw new Error(`invalid argument "${text}" for "--${flag}" flag: time: invalid duration "${text}"`);
  return ms;
}
