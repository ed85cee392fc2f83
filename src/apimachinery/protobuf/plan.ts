// Message plans: how each built-in type maps between its JSON form and Kubernetes' protobuf wire form,
// built from our OpenAPI schemas (names, types) and fields.json (field numbers and the Go facts the
// schemas lack); the counterpart of the `protobuf:"..."` struct tags in k8s.io/api types.go.
import { existsSync, readFileSync } from 'node:fs';
import type { Schema } from '../schema.js';

// fields.json was read off the `protobuf:"..."` and `json:"..."` struct tags of the types.go files in
// k8s.io/api, apimachinery (meta/v1), apiextensions-apiserver and kube-aggregator (July 2026) by a
// one-off script kept out of the repository. Field numbers never change in Kubernetes, so a new field
// or type is one more entry, written by hand: `"jsonKey": number` or `"jsonKey": {n, ...facts}`.

/** One field's facts in fields.json: a bare number, or the number with Go facts. */
type FieldFacts =
  | number
  | {
      n: number;
      /** Go pointer: a zero value or an empty message is meaningful and kept */
      ptr?: 1;
      /** Go non-pointer field without omitempty: a zero scalar is kept, as Go's JSON writes it */
      keep?: 1;
      /** Go `json:",inline"` embedding: this message's fields sit in the parent's JSON object */
      inline?: string;
      /** proto scalar the schema cannot tell: i64 (int64), f64 (double), b (bytes) */
      t?: 'i64' | 'f64' | 'b';
      /** map values are a named Go slice, wrapped in a message `{repeated items = 1}` */
      wrap?: 1;
      /** proto field name when it differs from the JSON key */
      proto?: string;
    };

export type FieldTable = Record<string, Record<string, FieldFacts>>;

const tableFile = 'fields.json';
const candidates = [new URL(`./${tableFile}`, import.meta.url), new URL(`../../../src/apimachinery/protobuf/${tableFile}`, import.meta.url)];
let table: FieldTable | undefined;

/** The committed field table (next to this module in src, or the source tree's copy from dist). */
export function fieldTable(): FieldTable {
  if (!table) {
    const file = candidates.find((u) => existsSync(u));
    if (!file) throw new Error(`protobuf field table not found: ${candidates.map((u) => u.pathname).join(', ')}`);
    table = JSON.parse(readFileSync(file, 'utf8')) as FieldTable;
  }
  return table;
}

export type ScalarKind = 'string' | 'bool' | 'int32' | 'int64' | 'double' | 'bytes';
/** Types Kubernetes encodes with their own messages and JSON forms */
export type SpecialKind = 'time' | 'microtime' | 'quantity' | 'intorstring' | 'raw' | 'json' | 'propsOrArray' | 'propsOrBool' | 'propsOrStringArray';

export type ValueKind = { kind: ScalarKind } | { kind: SpecialKind } | { kind: 'message'; plan: () => MessagePlan };

export interface FieldPlan {
  key: string;
  no: number;
  value: ValueKind;
  shape: 'single' | 'repeated' | 'map';
  /** map values wrapped in `{repeated items = 1}` (authentication's ExtraValue) */
  wrap: boolean;
  ptr: boolean;
  keep: boolean;
  /** set for Go inline embeddings: the embedded message, read from and written to the parent object */
  inline?: MessagePlan;
}

export interface MessagePlan {
  name: string;
  fields: FieldPlan[];
  byNo: Map<number, FieldPlan>;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
const specialNames: Record<string, SpecialKind> = {
  [`${META}.Time`]: 'time',
  [`${META}.MicroTime`]: 'microtime',
  [`${META}.FieldsV1`]: 'raw',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'intorstring',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'raw',
  [`${APIEXT}.JSON`]: 'json',
  [`${APIEXT}.JSONSchemaPropsOrArray`]: 'propsOrArray',
  [`${APIEXT}.JSONSchemaPropsOrBool`]: 'propsOrBool',
  [`${APIEXT}.JSONSchemaPropsOrStringArray`]: 'propsOrStringArray',
};

const refPrefixes = ['#/components/schemas/', '#/definitions/'];

function refOf(s: Schema): string | undefined {
  const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0].$ref : undefined);
  if (!ref) return undefined;
  const prefix = refPrefixes.find((p) => ref.startsWith(p));
  return prefix ? ref.slice(prefix.length) : undefined;
}

/** Plans every message on demand, caching by name (and by parent for inline embeddings). */
export class Planner {
  private readonly plans = new Map<string, MessagePlan>();

  constructor(
    private readonly schemas: Record<string, Schema>,
    private readonly facts: FieldTable = fieldTable(),
  ) {}

  /** Whether a schema name has a protobuf form (a struct Kubernetes generates a message for). */
  has(name: string): boolean {
    return !!this.facts[name] && !!this.schemas[name];
  }

  plan(name: string): MessagePlan {
    return this.planWith(name, name, this.schemas[name]?.properties ?? {});
  }

  private planWith(cacheKey: string, name: string, props: Record<string, Schema>): MessagePlan {
    const cached = this.plans.get(cacheKey);
    if (cached) return cached;
    const plan: MessagePlan = { name, fields: [], byNo: new Map() };
    this.plans.set(cacheKey, plan);
    for (const [key, raw] of Object.entries(this.facts[name] ?? {})) {
      const f = typeof raw === 'number' ? { n: raw } : raw;
      let field: FieldPlan | undefined;
      if (f.inline) {
        const inline = this.planWith(`${cacheKey}>${f.inline}`, f.inline, props);
        field = { key, no: f.n, value: { kind: 'message', plan: () => inline }, shape: 'single', wrap: false, ptr: !!f.ptr, keep: false, inline };
      } else if (props[key]) {
        field = this.fieldFrom(key, f, props[key]);
      }
      if (!field) continue;
      plan.fields.push(field);
      plan.byNo.set(field.no, field);
    }
    plan.fields.sort((a, b) => a.no - b.no);
    return plan;
  }

  private fieldFrom(key: string, f: Exclude<FieldFacts, number>, s: Schema): FieldPlan | undefined {
    const base = { key, no: f.n, wrap: !!f.wrap, ptr: !!f.ptr, keep: !!f.keep };
    if (!refOf(s) && s.type === 'array' && s.items) {
      const value = this.valueOf(s.items, f);
      return value && { ...base, value, shape: 'repeated' };
    }
    if (!refOf(s) && s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') {
      const inner = f.wrap && s.additionalProperties.items ? s.additionalProperties.items : s.additionalProperties;
      const value = this.valueOf(inner, f);
      return value && { ...base, value, shape: 'map' };
    }
    const value = this.valueOf(s, f);
    return value && { ...base, value, shape: 'single' };
  }

  private valueOf(s: Schema, f: Exclude<FieldFacts, number>): ValueKind | undefined {
    const ref = refOf(s);
    if (ref) {
      const special = specialNames[ref];
      if (special) return { kind: special };
      if (!this.facts[ref]) return undefined;
      return { kind: 'message', plan: () => this.plan(ref) };
    }
    if (f.t === 'b' || s.format === 'byte') return { kind: 'bytes' };
    if (s.format === 'int-or-string') return { kind: 'intorstring' };
    switch (s.type) {
      case 'string':
        return { kind: 'string' };
      case 'boolean':
        return { kind: 'bool' };
      case 'integer':
        return { kind: f.t === 'i64' || s.format === 'int64' ? 'int64' : 'int32' };
      case 'number':
        return { kind: 'double' };
      default:
        return undefined;
    }
  }
}
