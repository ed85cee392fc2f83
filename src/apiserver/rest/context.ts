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
}

export function internalContext(manager: string): RequestContext {
  return { fieldManager: manager, fieldValidation: 'Ignore', warnings: [] };
}
