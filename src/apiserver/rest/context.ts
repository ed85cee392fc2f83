// What a request carries into the storage layer besides the object itself.
import type { UserInfo } from '../auth/authenticate.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface RequestContext {
  user?: UserInfo;
  dryRun?: boolean;
  /** manager recorded in managedFields: ?fieldManager=, else the User-Agent's program name */
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** Warning headers to send back (299 - "...") */
  warnings?: string[];
  /** server-side apply already computed managedFields for this write */
  managedFieldsSet?: boolean;
  /**
   * True once the client that sent the request has disconnected. A write it has not yet sent to storage
   * is dropped, as kube-apiserver cancels a request's context: a client that timed out and retried must
   * not find its first attempt landing later (a create landing after the retry's delete comes back from
   * the dead; found by `npm run chaos` on a starved server).
   */
  clientGone?: () => boolean;
  /**
   * The caller only reads (encodes) the object a create or update returns, never changes it: the store
   * hands that very object to read-only watchers of the write instead of decoding the stored value
   * again, and its JSON is made once for the response and every watcher.
   */
  readsResultOnly?: boolean;
  /**
   * The object handed to create or update is the request's own decode, which no one else holds or
   * reads afterwards: the store may keep and change it instead of copying it first (an update only
   * when it names a resourceVersion, as then no conflict retry reads it again).
   */
  ownsInput?: boolean;
}

export function internalContext(manager: string): RequestContext {
  return { fieldManager: manager, fieldValidation: 'Ignore', warnings: [] };
}
