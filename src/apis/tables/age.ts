// Ages as kube-apiserver prints them: apimachinery's duration.HumanDuration, which the server applies
// to every Age cell (kubectl prints cells verbatim). Private copy: src/apimachinery/duration.ts did not
// exist when this was written.

/** `<2m` Ns, `<10m` MmSs, `<3h` Mm, `<8h` HhMm, `<48h` Hh, `<8d` DdHh, `<2y` Dd, `<8y` YyDd, then Yy. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** translateTimestampSince: the age of an RFC 3339 timestamp, `<unknown>` when it is missing or unreadable. */
export function ageSince(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

/** The span between two timestamps, as Job's DURATION column prints it. */
export function durationBetween(from: string, to: string): string {
  return humanDuration(Date.parse(to) - Date.parse(from));
}
