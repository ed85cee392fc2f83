// Admission: mutating then validating plugins that run on every write, in order.
// Built-in rules (namespace lifecycle) and Karmada's webhooks' equivalents plug in here.
import type { ResourceDef } from '../../apis/resource.js';
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { RequestContext } from './context.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: Operation;
  def: ResourceDef;
  /** the object being written (mutable in `mutate`); for DELETE, the object being deleted */
  obj: KubeObject;
  old?: KubeObject;
  subresource?: string;
  ctx: RequestContext;
}

export interface AdmissionPlugin {
  name: string;
  /** may change req.obj in place; throw a StatusError to refuse */
  mutate?(req: AdmissionRequest): void | Promise<void>;
  /** field errors become one 422; throw a StatusError for other refusals */
  validate?(req: AdmissionRequest): FieldError[] | void | Promise<FieldError[] | void>;
}
