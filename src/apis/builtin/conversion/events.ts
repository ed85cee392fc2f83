// events.k8s.io/v1 Events are stored as core/v1 Events: the same object under other field names.
import type { KubeObject } from '../../../apimachinery/types.js';
import type { JsonObject } from '../../tables/json.js';

// [events.k8s.io/v1 field, core/v1 field]
const renames: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];
const shared = ['eventTime', 'series', 'related', 'action', 'reason', 'type', 'reportingInstance'];

function rename(o: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const src = o as JsonObject;
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: structuredClone(o.metadata) };
  for (const [from, to] of pairs) if (src[from] !== undefined) out[to] = structuredClone(src[from]);
  for (const k of shared) if (src[k] !== undefined) out[k] = structuredClone(src[k]);
  return out;
}

/** core/v1 (storage) -> events.k8s.io/v1 */
export function coreEventToEventsV1(o: KubeObject): KubeObject {
  return rename(o, renames.map(([a, b]) => [b, a]), 'events.k8s.io/v1');
}

/** events.k8s.io/v1 -> core/v1 (storage) */
export function eventsV1ToCoreEvent(o: KubeObject): KubeObject {
  return rename(o, renames, 'v1');
}
