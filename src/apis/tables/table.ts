// Builds the meta.k8s.io/v1 Table that `kubectl get` asks for (Accept: ...;as=Table): column
// definitions from the kind's convertor, one row of cells per object, and the row's object as
// PartialObjectMetadata unless includeObject says otherwise. Kinds without a convertor get the
// server default (Name, Created At); custom resources get their additionalPrinterColumns.
import type { KubeObject, ListMeta } from '../../apimachinery/types.js';
import type { PrinterColumn, ResourceDef, TableConvertor } from '../resource.js';
import { ageSince } from './age.js';
import { creationTimestampDescription, nameColumn } from './columns.js';
import { jsonPathFind } from '../../apimachinery/meta.js';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

interface TableRow {
  cells: unknown[];
  object?: KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

interface TableOptions {
  now: Date;
  /** what each row carries in `object`; kube-apiserver's default is Metadata */
  includeObject?: IncludeObject;
  /**
   * kube-apiserver always sends every column (kubectl hides priority>0 ones without -o wide);
   * `wide: false` drops them here instead.
   */
  wide?: boolean;
  /** resourceVersion / continue / remainingItemCount of the list the objects came from */
  listMeta?: ListMeta;
}

export function toTable(def: ResourceDef, objects: KubeObject[], opts: TableOptions): Table {
  const convertor = def.table ?? defaultTableConvertor;
  const keep = convertor.columns.map((c) => opts.wide !== false || !(c.priority && c.priority > 0));
  const columnDefinitions = convertor.columns.filter((_, i) => keep[i]).map(toColumnDefinition);
  const rows = objects.map((o): TableRow => {
    const cells = convertor.cells(o, opts.now).filter((_, i) => keep[i] ?? true);
    const row: TableRow = { cells };
    const object = rowObject(o, opts.includeObject ?? 'Metadata');
    if (object) row.object = object;
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { ...(opts.listMeta ?? {}) }, columnDefinitions, rows };
}

function toColumnDefinition(c: PrinterColumn): TableColumnDefinition {
  return { name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 };
}

function rowObject(o: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** apiserver's rest.DefaultTableConvertor: Name and Created At (RFC 3339, UTC, whole seconds). */
const defaultTableConvertor: TableConvertor = {
  columns: [nameColumn, { name: 'Created At', type: 'date', description: creationTimestampDescription, priority: 0 }],
  cells: (o) => [o.metadata.name ?? '', rfc3339(o.metadata.creationTimestamp)],
};

function rfc3339(ts: string | undefined): string {
  // Go formats the zero time this way when creationTimestamp is unset
  if (!ts || Number.isNaN(Date.parse(ts))) return '0001-01-01T00:00:00Z';
  return new Date(Date.parse(ts)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const defaultCrdColumns: PrinterColumn[] = [
  { name: 'Age', type: 'date', description: creationTimestampDescription, jsonPath: '.metadata.creationTimestamp' },
];

/**
 * The custom resource convertor: Name, then each additionalPrinterColumn evaluated by JSONPath.
 * A missing value is null; `date` prints as an age; with no columns declared, Age is the default.
 */
export function crdTableConvertor(columns: PrinterColumn[] | undefined): TableConvertor {
  const declared = columns && columns.length > 0 ? columns : defaultCrdColumns;
  return {
    columns: [
      nameColumn,
      ...declared.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath ?? ''}`,
        priority: c.priority ?? 0,
      })),
    ],
    cells: (o, now) => [o.metadata.name ?? '', ...declared.map((c) => crdCell(o, c, now))],
  };
}

function crdCell(o: KubeObject, c: PrinterColumn, now: Date): unknown {
  let values: unknown[];
  try {
    values = jsonPathFind(o, c.jsonPath ?? '');
  } catch {
    return null;
  }
  if (values.length === 0) return null;
  const v = values[0];
  if (v === null || v === undefined) return null;
  switch (c.type) {
    case 'string':
      return jsonPathText(v);
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      if (typeof v !== 'string') return null;
      return Number.isNaN(Date.parse(v)) ? '<invalid>' : ageSince(v, now);
  }
  return null;
}

/** client-go's PrintResults for one value: strings raw, objects and arrays as JSON, the rest as text. */
function jsonPathText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
