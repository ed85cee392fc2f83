// Watch over HTTP: a chunked stream of one JSON event per line (or, for protobuf, length-delimited
// metav1.WatchEvent frames), flushed once per event-loop turn, with bookmarks, timeoutSeconds,
// sendInitialEvents and 410 Gone for revisions that were compacted away.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDef } from '../../apis/resource.js';
import { errors, StatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { joinApiVersion } from '../../apimachinery/types.js';
import type { Watcher } from '../../storage/store.js';
import { frame as protobufFrame, protobufStreamMediaType, watchEvent } from '../../apimachinery/protobuf/index.js';
import { builtinProtobuf } from '../http/protobuf.js';
import { sendError } from '../http/respond.js';
import type { ObjectFilter } from '../rest/filter.js';
import type { ObjectStore } from '../rest/object-store.js';
import { cachedJson } from '../rest/shared-json.js';
import { renderOne, type Rendering } from './rendering.js';


/**
 * Encodings of event objects, shared by every watcher the store hands the same object to (the store
 * decodes an event once for all read-only watchers): a write fans out to many watchers, and each
 * encoding is made once per object version, as kube-apiserver's watch cache does.
 */
const encodedEvents = new WeakMap<object, Buffer>();

/** `{"type":…,"object":…}` with the object's JSON made once for every watcher (and the write's response) */
export function jsonEventLine(type: string, object: unknown): string {
  if (typeof object !== 'object' || object === null) return `${JSON.stringify({ type, object })}\n`;
  return `{"type":${JSON.stringify(type)},"object":${cachedJson(object)}}\n`;
}

function encodeEventObject(object: Record<string, unknown>): Buffer {
  let bytes = encodedEvents.get(object);
  if (!bytes) {
    bytes = builtinProtobuf().encode(object);
    encodedEvents.set(object, bytes);
  }
  return bytes;
}

/** frames of one stream as one chunk: JSON lines as one string, protobuf frames as one buffer */
export function joinFrames(frames: readonly (string | Buffer)[]): string | Buffer {
  if (frames.every((f) => typeof f === 'string')) return (frames as string[]).join('');
  return Buffer.concat(frames.map((f) => (typeof f === 'string' ? Buffer.from(f) : f)));
}

/** how often bookmarks go out to watchers that asked for them */
export let bookmarkIntervalMs = 60_000;
export function setBookmarkInterval(ms: number): void {
  bookmarkIntervalMs = ms;
}

const maxWatchSeconds = 1800;

/**
 * Bytes a watcher may leave unread before it is dropped, as kube-apiserver's watch cache drops a
 * watcher whose buffer is full: its memory stays bounded, and the client resumes from the last
 * resourceVersion it did read (every event it got is whole), re-listing only if that was compacted.
 */
export let watchBufferBytes = 16 * 1024 * 1024;
export function setWatchBufferBytes(bytes: number): void {
  watchBufferBytes = bytes;
}

export async function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  def: ResourceDef,
  ns: string | undefined,
  q: URLSearchParams,
  filter: ObjectFilter | undefined,
  objects: ObjectStore,
  how: Rendering,
): Promise<void> {
  const rv = q.get('resourceVersion') ?? undefined;
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  const sendInitial = q.get('sendInitialEvents');
  if (sendInitial !== null) {
    if (sendInitial !== 'true' && sendInitial !== 'false') throw errors.badRequest(`invalid sendInitialEvents: ${JSON.stringify(sendInitial)}`);
    if (q.get('resourceVersionMatch') !== 'NotOlderThan') {
      throw errors.invalidMessage('resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan', [{ reason: 'FieldValueForbidden', field: 'resourceVersionMatch' }]);
    }
    if (sendInitial === 'true' && !bookmarks) {
      throw errors.invalidMessage('allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true', [{ reason: 'FieldValueForbidden', field: 'allowWatchBookmarks' }]);
    }
  } else if (q.get('resourceVersionMatch')) {
    throw errors.invalidMessage('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided', [{ reason: 'FieldValueForbidden', field: 'resourceVersionMatch' }]);
  }
  const timeoutParam = q.get('timeoutSeconds');
  const timeoutSeconds = timeoutParam ? Number(timeoutParam) : maxWatchSeconds * (0.5 + Math.random() * 0.5);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw errors.badRequest(`invalid timeoutSeconds: ${JSON.stringify(timeoutParam)}`);

  let lastRv = rv && rv !== '0' ? rv : '0';
  let tableHeaderSent = false;
  let watcher: Watcher | undefined;
  let ended = false;
  const timers: NodeJS.Timeout[] = [];

  const protobuf = how.encoding === 'protobuf';
  const frame = (type: string, object: unknown): string | Buffer => {
    if (!protobuf) return jsonEventLine(type, object);
    try {
      return protobufFrame(watchEvent(type, encodeEventObject(object as Record<string, unknown>)));
    } catch (err) {
      // an object protobuf cannot carry ends the stream with an ERROR event, never a crash
      const status = errors.internal(`cannot encode the ${type} event as protobuf: ${(err as Error).message}`).status;
      return protobufFrame(watchEvent('ERROR', builtinProtobuf().encode(status as unknown as Record<string, unknown>)));
    }
  };
  const render = (obj: KubeObject): unknown => {
    const out = renderOne(def, obj, how);
    // like kube-apiserver's watch encoder: column definitions only in the first Table event
    if (how.kind === 'table') {
      if (tableHeaderSent) (out as { columnDefinitions?: unknown[] }).columnDefinitions = [];
      tableHeaderSent = true;
    }
    return out;
  };
  const bookmark = (annotations?: Record<string, string>) =>
    frame('BOOKMARK', {
      kind: def.kind,
      apiVersion: joinApiVersion(def.group, def.version),
      metadata: { resourceVersion: lastRv, ...(annotations ? { annotations } : {}) },
    });

  // The frames of one event-loop turn go out as one chunk: one socket (and TLS) write per turn, not
  // one per event, as a burst of writes fans out to every watcher; their order is kept.
  let pending: (string | Buffer)[] = [];
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (pending.length === 0) return;
    const frames = pending;
    pending = [];
    if (res.destroyed || res.writableEnded) return;
    res.write(frames.length === 1 ? frames[0]! : joinFrames(frames));
    if (res.writableLength > watchBufferBytes) {
      // a stuck reader: drop what it has not read (end() would keep it buffered until it reads)
      end();
      res.destroy();
    }
  };
  const end = () => {
    if (ended) return;
    flush();
    if (ended) return;
    ended = true;
    watcher?.stop();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  };
  res.on('close', end);
  req.on('close', end);

  const startStream = () => {
    if (res.headersSent) return;
    res.writeHead(200, { 'Content-Type': protobuf ? protobufStreamMediaType : 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
  };
  const write = (chunk: string | Buffer) => {
    if (ended) return;
    startStream();
    pending.push(chunk);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  try {
    const initial = sendInitial === 'true' ? true : sendInitial === 'false' ? false : undefined;
    watcher = await objects.watch(
      def,
      ns,
      {
        filter,
        resourceVersion: rv,
        initialEvents: initial,
        // nothing here changes an event's object (renderings make their own), so it is shared
        readOnly: true,
        onInitialEventsEnd: (revision) => {
          lastRv = String(revision);
          if (sendInitial === 'true') write(bookmark({ 'k8s.io/initial-events-end': 'true' }));
        },
      },
      {
        onEvent: (type, obj) => {
          lastRv = obj.metadata.resourceVersion ?? lastRv;
          write(frame(type, render(obj)));
        },
        onError: (status: StatusError) => {
          write(frame('ERROR', status.status));
          end();
        },
      },
    );
  } catch (err) {
    if (res.headersSent) {
      const status = err instanceof StatusError ? err.status : errors.internal(String(err)).status;
      write(frame('ERROR', status));
      end();
      return;
    }
    ended = true;
    for (const t of timers) clearTimeout(t);
    sendError(res, err, req);
    return;
  }
  if (ended) {
    watcher.stop();
    return;
  }
  startStream();
  if (bookmarks) {
    const tick = () => {
      write(bookmark());
      timers[0] = setTimeout(tick, bookmarkIntervalMs);
      timers[0].unref();
    };
    timers[0] = setTimeout(tick, bookmarkIntervalMs);
    timers[0].unref();
  }
  const close = setTimeout(() => {
    if (bookmarks) write(bookmark());
    end();
  }, timeoutSeconds * 1000);
  close.unref();
  timers.push(close);
}
