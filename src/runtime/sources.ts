// The informer's list/watch source over HTTP, the way client-go's Reflector talks to an API server:
// a paged LIST, then WATCH from the list's resourceVersion with bookmarks and a 5–10 minute timeout.
// A 410 (HTTP status or an ERROR event with code 410) is reported as `gone` so the informer relists.
import type { KubeObject, Status } from '../apimachinery/types.js';
import type { KubeClient } from './client.js';
import type { ListWatchSource, WatchEventType } from './informer.js';

export interface HttpSourceOptions {
  group: string;
  version: string;
  resource: string;
  /** unset: all namespaces (or a cluster-scoped resource) */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** LIST page size (default 500, as client-go) */
  pageSize?: number;
  /** watch timeout range in seconds (default 300–600, as client-go) */
  minWatchTimeoutSeconds?: number;
  /** keep metadata.managedFields in the cache (default: dropped, as Karmada's informers' StripUnusedFields) */
  keepManagedFields?: boolean;
}

/**
 * Karmada's fedinformer.StripUnusedFields: managedFields are up to half of a cached object and no
 * controller reads them; an update sent from the cache without them keeps the stored ones.
 * The object is this client's own decoding, so it is changed in place.
 */
function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}

/** client-go's reflector picks a random timeout in [min, 2*min) so watches do not all end together */
export function watchTimeoutSeconds(min = 300, random: () => number = Math.random): number {
  return Math.floor(min * (1 + random()));
}

function isGone(status: Partial<Status> | undefined): boolean {
  return status?.code === 410 || status?.reason === 'Expired' || status?.reason === 'Gone';
}

export function httpSource(client: KubeClient, opts: HttpSourceOptions): ListWatchSource {
  const ref = { group: opts.group, version: opts.version, resource: opts.resource };
  const selectors = { namespace: opts.namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
  return {
    async list() {
      const list = await client.listAll(ref, { ...selectors, limit: opts.pageSize ?? 500 });
      // list items carry no apiVersion/kind; handlers and users expect full objects
      const kind = list.kind?.replace(/List$/, '');
      const strip = opts.keepManagedFields ? (o: KubeObject) => o : stripManagedFields;
      const items = list.items.map((o) => strip(o.kind ? o : { apiVersion: list.apiVersion, kind, ...o }));
      return { items, resourceVersion: list.metadata?.resourceVersion ?? '' };
    },
    async watch(resourceVersion, onEvent, onEnd) {
      let handle: { stop(): void } | undefined;
      let ended = false;
      const end = (err?: { gone?: boolean; message?: string }) => {
        if (ended) return;
        ended = true;
        handle?.stop();
        onEnd(err);
      };
      handle = await client.watch(
        ref,
        {
          ...selectors,
          resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: watchTimeoutSeconds(opts.minWatchTimeoutSeconds),
          dropManagedFields: !opts.keepManagedFields,
        },
        (type, obj) => {
          if (ended) return;
          if (type === 'ERROR') {
            const status = obj as unknown as Partial<Status>;
            end(isGone(status) ? { gone: true, message: status.message } : { message: status.message ?? 'watch error' });
            return;
          }
          onEvent(type as WatchEventType, obj);
        },
        (err) => {
          if (!err) return end();
          end(err.statusCode === 410 ? { gone: true, message: err.message } : { message: err.message });
        },
      );
      if (ended) handle.stop();
      return {
        stop() {
          ended = true;
          handle?.stop();
        },
      };
    },
  };
}
