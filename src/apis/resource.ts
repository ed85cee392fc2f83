// What the API server needs to know to serve one resource: names, scope, verbs, subresources,
// printing, field selectors and the per-kind rules (defaults, validation). Built-in resources are
// declared in src/apis/builtin; custom resources get the same shape from their CRD.
import type { FieldError } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import type { Schema } from '../apimachinery/schema.js';

interface ScaleSubresource {
  /** JSON path (".spec.replicas") of the desired replicas */
  specReplicasPath: string;
  /** JSON path (".status.replicas") of the observed replicas */
  statusReplicasPath: string;
  /** JSON path (".status.selector") of the label selector in string form */
  labelSelectorPath?: string;
}

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 0: always shown; >0: only with -o wide */
  priority?: number;
  /** for CRD columns: JSONPath evaluated against the object */
  jsonPath?: string;
}

export interface TableConvertor {
  columns: PrinterColumn[];
  /** one cell per column, in order. `now` makes ages deterministic in tests. */
  cells(obj: KubeObject, now: Date): unknown[];
}

export interface ResourceDef {
  group: string;
  version: string;
  /** plural lower-case name used in URLs: "deployments" */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: {
    status?: boolean;
    scale?: ScaleSubresource;
  };
  /** where objects live in storage: several versions of one resource share it (autoscaling v1/v2 HPAs) */
  storage: { group: string; resource: string; version: string };
  /** converts an object stored at `storage.version` to this version and back (absent: only apiVersion changes) */
  convertFromStorage?(obj: KubeObject): KubeObject;
  convertToStorage?(obj: KubeObject): KubeObject;
  /** the OpenAPI component schema of the kind, for patches, pruning and explain */
  schema?: Schema;
  /** OpenAPI component name for built-ins, e.g. "io.k8s.api.apps.v1.Deployment" */
  schemaName?: string;
  table?: TableConvertor;
  /** field selector fields beyond metadata.name and metadata.namespace, e.g. pods' "status.phase" */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;
  /** fills defaults in place, as the kind's defaulting functions do (on create and update) */
  defaults?(obj: KubeObject): void;
  /** checks the kind's rules; old is set on update */
  validate?(obj: KubeObject, old?: KubeObject): FieldError[];
  /** false for custom resources: PUT without resourceVersion is refused */
  allowUnconditionalUpdate: boolean;
  /** strategic merge patch is only for built-in kinds */
  strategicMergePatch: boolean;
}

export const standardVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** served from a CRD (built-in kinds take strategic merge patches, custom resources never do) */
export function isCustomResource(def: ResourceDef): boolean {
  return !def.strategicMergePatch;
}
