// Ages in Table cells: kube-apiserver applies apimachinery's duration.HumanDuration to every age
// (kubectl prints cells verbatim).
import { humanDuration } from '../../apimachinery/duration.js';

export { humanDuration };

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
