// Field ownership (metadata.managedFields) and server-side apply, after sigs.k8s.io/structured-merge-diff
// as the apiserver's fieldmanager drives it. Simplified but honest:
//  - field sets are computed per structured-merge-diff's rules (leaves, keyed list items, set values,
//    atomic lists/maps as leaves, "." for a node that is itself a member);
//  - lists are keyed by x-kubernetes-list-map-keys, else by a patch merge key; primitive lists with
//    list-type set or a merge strategy are sets; every other list is atomic; unknown schema = maps
//    granular, lists atomic;
//  - no version conversion (every manager's set is read as if in the object's version), no unions,
//    no cap on the number of Update entries.
import { errors } from './errors.js';
import { propertyOf, type Schema, type SchemaResolver } from './schema.js';
import type { KubeObject, ManagedFieldsEntry, StatusCause } from './types.js';

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- paths and sets ---------------------------------------------------------------------------

/** One FieldsV1 path element: `f:name`, `k:{"name":"x"}`, `v:"value"` or `i:3`. */
type PathElement = string;
type FieldPath = PathElement[];

/**
 * A path's key in a FieldSet: its elements joined by NUL, which no element holds (k: and v: elements
 * are JSON, which escapes it) unless a field name does; such a path is keyed by its JSON, which no
 * joined key can equal (elements start f:, k:, v:, i: or ".", never `["`). Cheaper than JSON for
 * every path, and the set is built for every field of every write.
 */
function pathKey(p: FieldPath): string {
  for (const e of p) if (e.includes('\u0000')) return JSON.stringify(p);
  return p.join('\u0000');
}

/** A set of field paths. */
export class FieldSet {
  private readonly items = new Map<string, FieldPath>();
  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.insert(p);
  }
  insert(p: FieldPath): void {
    this.items.set(pathKey(p), p);
  }
  has(p: FieldPath): boolean {
    return this.items.has(pathKey(p));
  }
  delete(p: FieldPath): void {
    this.items.delete(pathKey(p));
  }
  get size(): number {
    return this.items.size;
  }
  empty(): boolean {
    return this.items.size === 0;
  }
  paths(): FieldPath[] {
    return [...this.items.values()];
  }
  // set algebra works on the keys already made: a path's key is computed once, when it is inserted
  union(o: FieldSet): FieldSet {
    const out = this.filtered(() => true);
    for (const [k, p] of o.items) out.items.set(k, p);
    return out;
  }
  intersection(o: FieldSet): FieldSet {
    return this.filtered((k) => o.items.has(k));
  }
  difference(o: FieldSet): FieldSet {
    return this.filtered((k) => !o.items.has(k));
  }
  /** the paths whose key and path pass `keep` */
  filtered(keep: (key: string, p: FieldPath) => boolean): FieldSet {
    const out = new FieldSet();
    for (const [k, p] of this.items) if (keep(k, p)) out.items.set(k, p);
    return out;
  }
  /** Paths sorted as structured-merge-diff iterates them (element by element). */
  sorted(): FieldPath[] {
    return this.paths().sort(comparePaths);
  }
}

function comparePaths(a: FieldPath, b: FieldPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/** `.spec.containers[name="nginx"].image`, as fieldpath.Path.String() prints it. */
export function pathString(p: FieldPath): string {
  return p
    .map((e) => {
      const body = e.slice(2);
      switch (e[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const key = JSON.parse(body) as JsonMap;
          return `[${Object.entries(key)
            .map(([k, v]) => `${k}=${valueString(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${valueString(JSON.parse(body))}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

function valueString(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : isMap(v) || Array.isArray(v) ? JSON.stringify(v) : String(v);
}

/** FieldsV1 JSON (`{"f:data":{".":{},"f:a":{}}}`) → set. */
export function fieldSetFromFieldsV1(fields: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (node: unknown, prefix: FieldPath) => {
    if (!isMap(node)) return;
    for (const [k, child] of Object.entries(node)) {
      if (k === '.') {
        set.insert(prefix);
        continue;
      }
      const p = [...prefix, k];
      if (isMap(child) && Object.keys(child).length > 0) walk(child, p);
      else set.insert(p);
    }
  };
  walk(fields, []);
  return set;
}

/** Set → FieldsV1 JSON; a member with children gets `".": {}`. Keys come out sorted. */
export function fieldSetToFieldsV1(set: FieldSet): JsonMap {
  interface Node {
    member: boolean;
    children: Map<string, Node>;
  }
  const root: Node = { member: false, children: new Map() };
  for (const p of set.paths()) {
    let n = root;
    for (const e of p) {
      let c = n.children.get(e);
      if (!c) {
        c = { member: false, children: new Map() };
        n.children.set(e, c);
      }
      n = c;
    }
    n.member = true;
  }
  const encode = (n: Node): JsonMap => {
    const out: JsonMap = {};
    if (n.member && n.children.size > 0) out['.'] = {};
    for (const k of [...n.children.keys()].sort()) out[k] = encode(n.children.get(k)!);
    return out;
  };
  return encode(root);
}

// ---- schema navigation ------------------------------------------------------------------------

interface Walker {
  resolve: SchemaResolver;
}

function deref(s: Schema | undefined, w: Walker): Schema | undefined {
  let cur = s;
  for (let i = 0; i < 16 && cur; i++) {
    const r = w.resolve(cur);
    if (r && r !== cur) {
      cur = r;
      continue;
    }
    if (cur.allOf?.length === 1 && !cur.properties && !cur.items && !cur.type) {
      cur = cur.allOf[0];
      continue;
    }
    return cur.$ref ? undefined : cur;
  }
  return cur;
}

/** Extensions may sit on the referring property (`{allOf:[{$ref}], x-kubernetes-...}`) or the target. */
function ext<K extends keyof Schema>(raw: Schema | undefined, target: Schema | undefined, key: K): Schema[K] | undefined {
  return raw?.[key] ?? target?.[key];
}

interface Node {
  raw: Schema | undefined;
  schema: Schema | undefined;
}

function node(raw: Schema | undefined, w: Walker): Node {
  return { raw, schema: deref(raw, w) };
}

type FieldNode = Node & { declared: boolean };

// unknown fields of a preserve-unknown-fields object or of no schema: granular, untyped
const untypedField: FieldNode = { raw: undefined, schema: undefined, declared: false };

/**
 * Children already resolved, per resolver and parent schema: every write walks its fields through
 * the same few schemas. Declared properties by name (finitely many); a map's values once.
 */
const declaredFields = new WeakMap<SchemaResolver, WeakMap<Schema, Map<string, FieldNode>>>();
const mapValues = new WeakMap<SchemaResolver, WeakMap<Schema, FieldNode>>();

function cacheOf<V>(caches: WeakMap<SchemaResolver, WeakMap<Schema, V>>, w: Walker): WeakMap<Schema, V> {
  let c = caches.get(w.resolve);
  if (!c) caches.set(w.resolve, (c = new WeakMap()));
  return c;
}

function fieldNode(parent: Node, key: string, w: Walker): FieldNode {
  const s = parent.schema;
  if (!s) return untypedField;
  const prop = propertyOf(s, key);
  if (prop) {
    const bySchema = cacheOf(declaredFields, w);
    let byKey = bySchema.get(s);
    if (!byKey) bySchema.set(s, (byKey = new Map()));
    let hit = byKey.get(key);
    if (!hit) byKey.set(key, (hit = { ...node(prop, w), declared: true }));
    return hit;
  }
  if (!isMap(s.additionalProperties)) return untypedField;
  const values = cacheOf(mapValues, w);
  let hit = values.get(s);
  if (!hit) values.set(s, (hit = { ...node(s.additionalProperties as Schema, w), declared: false }));
  return hit;
}

type ListKind = { kind: 'map'; keys: string[] } | { kind: 'set' } | { kind: 'atomic' };

/** per node (fieldNode's are kept per schema, so most nodes recur on every write): its list kind and item node */
const listKinds = new WeakMap<Node, ListKind>();
const itemNodes = new WeakMap<Node, Node>();

function listKind(n: Node, w: Walker): ListKind {
  let hit = listKinds.get(n);
  if (hit === undefined) listKinds.set(n, (hit = computeListKind(n, w)));
  return hit;
}

function computeListKind(n: Node, w: Walker): ListKind {
  const type = ext(n.raw, n.schema, 'x-kubernetes-list-type');
  const mapKeys = ext(n.raw, n.schema, 'x-kubernetes-list-map-keys');
  if (type === 'map' && mapKeys?.length) return { kind: 'map', keys: mapKeys };
  if (type === 'set') return { kind: 'set' };
  if (type === 'atomic') return { kind: 'atomic' };
  const strategy = String(ext(n.raw, n.schema, 'x-kubernetes-patch-strategy') ?? '');
  if (strategy.split(',').includes('merge')) {
    const mergeKey = ext(n.raw, n.schema, 'x-kubernetes-patch-merge-key');
    if (mergeKey) return { kind: 'map', keys: [mergeKey] };
    const items = deref(n.schema?.items, w);
    if (items?.type !== 'object') return { kind: 'set' };
  }
  return { kind: 'atomic' };
}

function isAtomicMap(n: Node): boolean {
  return ext(n.raw, n.schema, 'x-kubernetes-map-type') === 'atomic';
}

function itemNode(list: Node, w: Walker): Node {
  let hit = itemNodes.get(list);
  if (hit === undefined) itemNodes.set(list, (hit = node(list.schema?.items, w)));
  return hit;
}

/** The path element of a list item, or undefined when it cannot be keyed. */
function itemElement(item: unknown, index: number, lk: ListKind): PathElement {
  if (lk.kind === 'set') return `v:${JSON.stringify(item)}`;
  if (lk.kind === 'map' && isMap(item)) {
    const key: JsonMap = {};
    for (const k of [...lk.keys].sort()) if (k in item) key[k] = item[k];
    if (Object.keys(key).length > 0) return `k:${JSON.stringify(key)}`;
  }
  return `i:${index}`;
}

// ---- field sets of values (typed.ToFieldSet) --------------------------------------------------

function collect(value: unknown, n: Node, path: FieldPath, set: FieldSet, w: Walker): void {
  if (isMap(value)) {
    if (isAtomicMap(n)) {
      set.insert(path);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      const child = fieldNode(n, k, w);
      const p = [...path, `f:${k}`];
      collect(v, child, p, set, w);
      // empty maps, nulls and map entries (not struct fields) are members themselves
      if (v === null || (isMap(v) && Object.keys(v).length === 0) || !child.declared) set.insert(p);
    }
    return;
  }
  if (Array.isArray(value)) {
    const lk = listKind(n, w);
    if (lk.kind === 'atomic') {
      set.insert(path);
      return;
    }
    const itemN = itemNode(n, w);
    value.forEach((item, i) => {
      const p = [...path, itemElement(item, i, lk)];
      set.insert(p);
      if (lk.kind === 'map') collect(item, itemN, p, set, w);
    });
    return;
  }
  if (path.length > 0) set.insert(path);
}

/** Fields that are never tracked (fieldmanager's stripped set). */
const strippedPaths: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:clusterName'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:managedFields'],
  ['f:metadata', 'f:resourceVersion'],
];

function strip(set: FieldSet): FieldSet {
  return set.filtered((_, p) => {
    const head = p[0];
    if (head !== 'f:metadata' && head !== 'f:apiVersion' && head !== 'f:kind') return true;
    if (head === 'f:metadata' && p[1] === 'f:managedFields') return false;
    return !strippedPaths.some((s) => comparePaths(s, p) === 0);
  });
}

/** The set of fields `obj` sets, as the field set an applier of `obj` would own. */
function fieldSetOf(obj: unknown, schema: Schema | undefined, resolve: SchemaResolver): FieldSet {
  const w: Walker = { resolve };
  const set = new FieldSet();
  collect(obj, node(schema, w), [], set, w);
  return strip(set);
}

/** The FieldsV1 JSON of an object (`f:name`, `k:{...}`, `v:...`, `.`). */
export function fieldSet(obj: unknown, schema: Schema | undefined, resolve: SchemaResolver): JsonMap {
  return fieldSetToFieldsV1(fieldSetOf(obj, schema, resolve));
}

// ---- comparison (typed.Compare) ---------------------------------------------------------------

interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function indexItems(list: unknown[], lk: ListKind): Map<string, unknown> {
  const m = new Map<string, unknown>();
  list.forEach((item, i) => m.set(itemElement(item, i, lk), item));
  return m;
}

function shapeOf(v: unknown): 'none' | 'map' | 'list' | 'scalar' {
  return v === undefined ? 'none' : isMap(v) ? 'map' : Array.isArray(v) ? 'list' : 'scalar';
}

/**
 * Walks old (lhs) and new (rhs): leaves are added/removed/modified; inner nodes only added/removed.
 * `differs`: the caller has found lhs and rhs unequal already.
 */
function compareNodes(lhs: unknown, rhs: unknown, n: Node, path: FieldPath, c: Comparison, w: Walker, differs = false): void {
  const both = lhs !== undefined && rhs !== undefined;
  // an unchanged subtree adds, removes and modifies nothing: most of a write (a status update leaves
  // spec and metadata alone) is skipped without building its paths. A parent compares each child
  // before walking into it, so no node is compared whole twice (once in its parent's walk, once on its own).
  if (both && !differs && deepEqual(lhs, rhs)) return;
  // a node whose shape changed (map ↔ list ↔ scalar) is a modified leaf
  if (both && shapeOf(lhs) !== shapeOf(rhs)) {
    if (path.length) c.modified.insert(path);
    return;
  }
  const v = rhs !== undefined ? rhs : lhs;
  const lk = Array.isArray(v) ? listKind(n, w) : undefined;
  const leaf = isMap(v) ? isAtomicMap(n) : lk ? lk.kind === 'atomic' : true;
  if (leaf) {
    if (path.length === 0) return;
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
    else c.modified.insert(path); // both there and, as checked above, not equal
    return;
  }
  if (isMap(v)) {
    const l = isMap(lhs) ? lhs : {};
    const r = isMap(rhs) ? rhs : {};
    for (const k of new Set([...Object.keys(l), ...Object.keys(r)])) {
      const lv = lhs === undefined ? undefined : l[k];
      const rv = rhs === undefined ? undefined : r[k];
      if (lv !== undefined && rv !== undefined && deepEqual(lv, rv)) continue;
      compareNodes(lv, rv, fieldNode(n, k, w), [...path, `f:${k}`], c, w, true);
    }
  } else if (lk) {
    const l = indexItems(Array.isArray(lhs) ? lhs : [], lk);
    const r = indexItems(Array.isArray(rhs) ? rhs : [], lk);
    const itemN = itemNode(n, w);
    for (const e of new Set([...l.keys(), ...r.keys()])) {
      const p = [...path, e];
      if (lk.kind === 'set') {
        if (!l.has(e)) c.added.insert(p);
        else if (!r.has(e)) c.removed.insert(p);
        continue;
      }
      const lv = l.get(e);
      const rv = r.get(e);
      if (lv !== undefined && rv !== undefined && deepEqual(lv, rv)) continue;
      compareNodes(lv, rv, itemN, p, c, w, true);
    }
  }
  if (path.length === 0) return;
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

function compare(lhs: unknown, rhs: unknown, schema: Schema | undefined, w: Walker): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  // the root is not compared whole: its children are, one by one
  compareNodes(lhs ?? {}, rhs ?? {}, node(schema, w), [], c, w, true);
  return { added: strip(c.added), removed: strip(c.removed), modified: strip(c.modified) };
}

/**
 * The FieldsV1 a create gives its writer: what fieldSetToFieldsV1(compare({}, obj).added) gives
 * (every node of obj a member, less the stripped ones), built as the tree itself. Every create
 * passes here (events, pods, Works), and the path sets, their keys and the tree built back from
 * them were most of its cost.
 */
function createdFieldsV1(obj: unknown, schema: Schema | undefined, w: Walker): JsonMap {
  const root = node(schema, w);
  if (!isMap(obj) || isAtomicMap(root)) return {};
  return addedTree(obj, root, w, false, 'root') ?? {};
}

/** where stripped paths can sit: the root's apiVersion/kind/metadata, metadata's identity fields */
type StripLevel = 'root' | 'metadata' | 'none';

const strippedMetadataFields: ReadonlySet<string> = new Set(
  strippedPaths.filter((p) => p.length === 2 && p[0] === 'f:metadata').map((p) => p[1]!.slice(2)),
);

/** the FieldsV1 node of a value added whole (undefined: it adds no path); `member` is false for a stripped path */
function addedTree(v: unknown, n: Node, w: Walker, member: boolean, level: StripLevel): JsonMap | undefined {
  // children in sorted order go straight into the node ("f:" + key sorts as key does)
  let out: JsonMap | undefined;
  if (isMap(v)) {
    if (!isAtomicMap(n)) {
      for (const k of Object.keys(v).sort()) {
        let childMember = true;
        let childLevel: StripLevel = 'none';
        if (level === 'root') {
          if (k === 'apiVersion' || k === 'kind') childMember = false;
          else if (k === 'metadata') [childMember, childLevel] = [false, 'metadata'];
        } else if (level === 'metadata') {
          if (k === 'managedFields') continue;
          if (strippedMetadataFields.has(k)) childMember = false;
        }
        const child = addedTree(v[k], fieldNode(n, k, w), w, childMember, childLevel);
        if (child) (out ??= member ? { '.': {} } : {})[`f:${k}`] = child;
      }
    }
  } else if (Array.isArray(v) && v.length) {
    const lk = listKind(n, w);
    if (lk.kind !== 'atomic') {
      const itemN = itemNode(n, w);
      const items = indexItems(v, lk);
      out = member ? { '.': {} } : {};
      for (const e of [...items.keys()].sort()) out[e] = lk.kind === 'set' ? {} : addedTree(items.get(e), itemN, w, true, 'none')!;
    }
  }
  return out ?? (member ? {} : undefined);
}

// ---- merge (typed.Merge) and removal (RemoveItems) ---------------------------------------------

/** Applied config merged into live: maps per key, keyed/set lists per item, everything else replaced. */
function mergeValues(lhs: unknown, rhs: unknown, n: Node, w: Walker): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined || lhs === null || rhs === null) return structuredClone(rhs);
  if (isMap(lhs) && isMap(rhs)) {
    if (isAtomicMap(n)) return structuredClone(rhs);
    const out: JsonMap = { ...lhs };
    for (const [k, v] of Object.entries(rhs)) out[k] = mergeValues(lhs[k], v, fieldNode(n, k, w), w);
    return out;
  }
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    const lk = listKind(n, w);
    if (lk.kind === 'atomic') return structuredClone(rhs);
    return mergeLists(lhs, rhs, lk, itemNode(n, w), w);
  }
  return structuredClone(rhs);
}

/** structured-merge-diff's list merge: applied order for applied items, live-only items keep their place. */
function mergeLists(lhs: unknown[], rhs: unknown[], lk: ListKind, itemN: Node, w: Walker): unknown[] {
  const lPE = lhs.map((x, i) => itemElement(x, i, lk));
  const rPE = rhs.map((x, i) => itemElement(x, i, lk));
  const lMap = new Map(lPE.map((pe, i) => [pe, lhs[i]] as const));
  const rMap = new Map(rPE.map((pe, i) => [pe, rhs[i]] as const));
  const shared = rPE.filter((pe) => lMap.has(pe));
  let nextShared = shared.shift();
  const merged = new Set<string>();
  const out: unknown[] = [];
  const mergeItem = (pe: string) => (lk.kind === 'set' ? rMap.get(pe) ?? lMap.get(pe) : mergeValues(lMap.get(pe), rMap.get(pe), itemN, w));
  let li = 0;
  let ri = 0;
  while (li < lPE.length || ri < rPE.length) {
    if (li < lPE.length && ri < rPE.length) {
      const pe = lPE[li];
      if (pe === rPE[ri]) {
        merged.add(pe);
        out.push(mergeItem(pe));
        li++;
        ri++;
        if (nextShared === pe) nextShared = shared.shift();
        continue;
      }
      if (rMap.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++;
        continue;
      }
    }
    if (li < lPE.length) {
      const pe = lPE[li];
      if (!rMap.has(pe)) {
        out.push(lhs[li]);
        li++;
        continue;
      }
      if (merged.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < rPE.length) {
      const pe = rPE[ri];
      merged.add(pe);
      out.push(mergeItem(pe));
      ri++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

function removePaths(value: unknown, toRemove: FieldSet, n: Node, path: FieldPath, w: Walker): unknown {
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) {
      const p = [...path, `f:${k}`];
      if (toRemove.has(p)) continue;
      out[k] = removePaths(v, toRemove, fieldNode(n, k, w), p, w);
    }
    return out;
  }
  if (Array.isArray(value)) {
    const lk = listKind(n, w);
    if (lk.kind === 'atomic') return value;
    const itemN = itemNode(n, w);
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const p = [...path, itemElement(item, i, lk)];
      if (toRemove.has(p)) return;
      out.push(lk.kind === 'map' ? removePaths(item, toRemove, itemN, p, w) : item);
    });
    return out;
  }
  return value;
}

function dropNulls(v: unknown): unknown {
  if (isMap(v)) {
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
    return out;
  }
  if (Array.isArray(v)) return v.map(dropNulls);
  return v;
}

/** Every field-name prefix of an owned path is in use too (EnsureNamedFieldsAreMembers, loosely). */
function withFieldPrefixes(set: FieldSet): FieldSet {
  const out = new FieldSet(set.paths());
  for (const p of set.paths()) {
    for (let i = 1; i < p.length; i++) if (p[i - 1].startsWith('f:')) out.insert(p.slice(0, i));
  }
  return out;
}

// ---- managedFields entries --------------------------------------------------------------------

interface Managed {
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

/** Update entries are per (manager, apiVersion, subresource); Apply entries per (manager, subresource). */
function managerKey(e: ManagedFieldsEntry): string {
  const manager = e.manager ?? '';
  const operation = e.operation ?? '';
  const apiVersion = e.operation === 'Apply' ? '' : (e.apiVersion ?? '');
  // each part after its length: no two entries' parts join to the same key (cheaper than JSON, made per entry per write)
  return `${manager.length}:${manager}${operation.length}:${operation}${apiVersion.length}:${apiVersion}${e.subresource ?? ''}`;
}

function decodeManaged(entries: ManagedFieldsEntry[] | undefined): Map<string, Managed> {
  const m = new Map<string, Managed>();
  for (const e of entries ?? []) m.set(managerKey(e), { entry: { ...e }, set: fieldSetFromFieldsV1(e.fieldsV1 ?? {}) });
  return m;
}

function encodeManaged(m: Map<string, Managed>): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const { entry, set } of m.values()) {
    if (set.empty()) continue;
    const e: ManagedFieldsEntry = { manager: entry.manager, operation: entry.operation, apiVersion: entry.apiVersion, time: entry.time, fieldsType: 'FieldsV1', fieldsV1: fieldSetToFieldsV1(set) };
    if (entry.subresource) e.subresource = entry.subresource;
    out.push(e);
  }
  return sortManaged(out);
}

/** the order kube-apiserver keeps managedFields in: operation, time (seconds), manager, apiVersion, subresource */
function sortManaged(out: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  if (out.length < 2) return out;
  // each entry's time is parsed once, not once per comparison
  const keyed = out.map((e) => ({ e, secs: e.time ? Math.floor(Date.parse(e.time) / 1000) : 0 }));
  keyed.sort((x, y) => {
    const p = x.e;
    const q = y.e;
    return (
      compareStrings(p.operation ?? '', q.operation ?? '') ||
      x.secs - y.secs ||
      compareStrings(p.manager ?? '', q.manager ?? '') ||
      compareStrings(p.apiVersion ?? '', q.apiVersion ?? '') ||
      compareStrings(p.subresource ?? '', q.subresource ?? '')
    );
  });
  for (let i = 0; i < out.length; i++) out[i] = keyed[i]!.e;
  return out;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `"kubectl"`, `"kube-controller-manager" using apps/v1`, `"x" with subresource "status" using v1`. */
function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion ?? ''}`;
  return s;
}

let lastSecond = NaN;
let lastRfc3339 = '';

/** the time of an entry, to the second (the same second's text is made once: every write stamps one) */
function rfc3339(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastRfc3339 = `${d.toISOString().slice(0, 19)}Z`;
  }
  return lastRfc3339;
}

function objectManagedFields(obj: unknown): ManagedFieldsEntry[] | undefined {
  return isMap(obj) && isMap(obj.metadata) ? ((obj.metadata as JsonMap).managedFields as ManagedFieldsEntry[] | undefined) : undefined;
}

function withoutManagedFields(obj: unknown): unknown {
  if (!isMap(obj) || !isMap(obj.metadata)) return obj;
  const { managedFields: _ignored, ...meta } = obj.metadata as JsonMap;
  return { ...obj, metadata: meta };
}

/** SMD Updater.update: other managers lose what changed (conflicts) and what was removed. */
function settleOthers(m: Map<string, Managed>, self: string, c: Comparison, force: boolean): { conflicts: { manager: ManagedFieldsEntry; path: FieldPath }[] } {
  const changed = c.modified.union(c.added);
  const conflicts: { manager: ManagedFieldsEntry; path: FieldPath }[] = [];
  const conflictSets = new Map<string, FieldSet>();
  for (const [key, mg] of m) {
    if (key === self) continue;
    const cs = mg.set.intersection(changed);
    if (!cs.empty()) {
      conflictSets.set(key, cs);
      for (const p of cs.sorted()) conflicts.push({ manager: mg.entry, path: p });
    }
  }
  if (!force && conflicts.length) return { conflicts };
  for (const [key, mg] of m) {
    if (key === self) continue;
    const cs = conflictSets.get(key);
    if (cs) mg.set = mg.set.difference(cs);
    mg.set = mg.set.difference(c.removed);
  }
  return { conflicts: [] };
}

function conflictError(conflicts: { manager: ManagedFieldsEntry; path: FieldPath }[]) {
  const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const name = printManager(c.manager);
      byManager.set(name, [...(byManager.get(name) ?? []), pathString(c.path)]);
    }
    const lines: string[] = [];
    for (const name of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${name}:`);
      for (const p of byManager.get(name)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return errors.applyConflict(message, causes);
}

// ---- the two operations -------------------------------------------------------------------------

interface UpdateManagedFieldsInput {
  /** the object before the write (undefined on create) */
  old: KubeObject | undefined;
  /** the object about to be stored; its metadata.managedFields (if any) are the starting point */
  updated: KubeObject;
  manager: string;
  operation: 'Update';
  subresource?: string;
  apiVersion: string;
  now: Date;
  schema: Schema | undefined;
  resolve: SchemaResolver;
}

/**
 * managedFields after a create/update/patch that is not an apply: the manager gains the fields it
 * added or changed; every other manager loses those and the removed ones. Unchanged → unchanged.
 */
export function updateManagedFields(input: UpdateManagedFieldsInput): ManagedFieldsEntry[] | undefined {
  const w: Walker = { resolve: input.resolve };
  // the writer may send managedFields (e.g. a GET-modify-PUT): take them, else keep the old ones
  const incoming = objectManagedFields(input.updated);
  if (input.old === undefined && incoming === undefined) return createdEntries(input, w);
  const stored = objectManagedFields(input.old);
  const base = incoming !== undefined ? incoming : stored;
  // what was stored is in canonical form already; so is what a writer sends back unchanged (GET-modify-PUT)
  const canonical = incoming === undefined || (stored !== undefined && deepEqual(incoming, stored));
  const c = compare(withoutManagedFields(input.old), withoutManagedFields(input.updated), input.schema, w);
  const touched = [...c.modified.paths(), ...c.added.paths(), ...c.removed.paths()];
  // a write that changes no field changes no owner
  if (!touched.length && canonical) return base;
  const self: ManagedFieldsEntry = { manager: input.manager, operation: 'Update', apiVersion: input.apiVersion, subresource: input.subresource };
  const key = managerKey(self);
  // only this manager and those owning a touched field are decoded and encoded again (the costly part of a write)
  const untouched = canonical ? (base ?? []).filter((e) => managerKey(e) !== key && !touched.some((p) => fieldsV1Has(e.fieldsV1, p))) : [];
  const same = canonical ? sameFieldsRewritten(base ?? [], untouched, key, c) : undefined;
  if (same) {
    const entry: ManagedFieldsEntry = { manager: input.manager, operation: 'Update', apiVersion: input.apiVersion, time: rfc3339(input.now), fieldsType: 'FieldsV1', fieldsV1: same.fieldsV1 };
    if (input.subresource) entry.subresource = input.subresource;
    return sortManaged([entry, ...untouched.filter((e) => isMap(e.fieldsV1) && Object.keys(e.fieldsV1).length > 0)]);
  }
  const own = canonical ? ownFieldsRewritten(input, base ?? [], untouched, key, c) : undefined;
  if (own) {
    const out = sortManaged([...own, ...untouched.filter((e) => isMap(e.fieldsV1) && Object.keys(e.fieldsV1).length > 0)]);
    return out.length ? out : base === undefined ? undefined : [];
  }
  const m = decodeManaged((base ?? []).filter((e) => !untouched.includes(e)));
  settleOthers(m, '', c, true);
  const gained = c.modified.union(c.added);
  if (!gained.empty()) {
    const prev = m.get(key);
    m.set(key, { entry: { ...self, time: rfc3339(input.now) }, set: (prev?.set ?? new FieldSet()).union(gained) });
  }
  const out = sortManaged([...encodeManaged(m), ...untouched.filter((e) => isMap(e.fieldsV1) && Object.keys(e.fieldsV1).length > 0)]);
  return out.length ? out : base === undefined ? undefined : [];
}

/** a create without managedFields of its own: the writer owns every field it set (none: no entries) */
function createdEntries(input: UpdateManagedFieldsInput, w: Walker): ManagedFieldsEntry[] | undefined {
  const fieldsV1 = createdFieldsV1(input.updated, input.schema, w);
  if (!Object.keys(fieldsV1).length) return undefined;
  const entry: ManagedFieldsEntry = { manager: input.manager, operation: 'Update', apiVersion: input.apiVersion, time: rfc3339(input.now), fieldsType: 'FieldsV1', fieldsV1 };
  if (input.subresource) entry.subresource = input.subresource;
  return [entry];
}

/**
 * The writer's own entry when the write only changes fields it alone already owns (a controller
 * rewriting its status): decoding and encoding its set would give it back as it is, so only its
 * time changes. Undefined when anything else would change (removals, new fields, other owners) or
 * its FieldsV1 is not in the form the encoder writes.
 */
function sameFieldsRewritten(base: ManagedFieldsEntry[], untouched: ManagedFieldsEntry[], key: string, c: Comparison): ManagedFieldsEntry | undefined {
  if (!c.removed.empty() || base.length !== untouched.length + 1) return undefined;
  const own = base.find((e) => !untouched.includes(e));
  if (!own || managerKey(own) !== key || !isCanonicalFieldsV1(own.fieldsV1)) return undefined;
  for (const p of c.modified.paths()) if (!fieldsV1Has(own.fieldsV1, p)) return undefined;
  for (const p of c.added.paths()) if (!fieldsV1Has(own.fieldsV1, p)) return undefined;
  return own;
}

/**
 * The writer's own entry (none or one) when no other manager owns a touched field: its set less the
 * removed fields plus the changed ones, edited in its FieldsV1 tree (as decoding, the set algebra
 * and encoding would give it) instead of decoded and encoded whole. A controller's status write
 * that adds fields (a new condition) takes this way. Undefined when another entry is touched, the
 * writer has several, or its FieldsV1 is not in the form the encoder writes.
 */
function ownFieldsRewritten(input: UpdateManagedFieldsInput, base: ManagedFieldsEntry[], untouched: ManagedFieldsEntry[], key: string, c: Comparison): ManagedFieldsEntry[] | undefined {
  const touchedEntries = base.filter((e) => !untouched.includes(e));
  if (touchedEntries.length > 1) return undefined;
  const prev = touchedEntries[0];
  if (prev && (managerKey(prev) !== key || !isCanonicalFieldsV1(prev.fieldsV1) || '.' in (prev.fieldsV1 as JsonMap))) return undefined;
  let tree: JsonMap = prev ? (prev.fieldsV1 as JsonMap) : {};
  for (const p of c.removed.paths()) tree = withoutMember(tree, p, 0, true)!;
  let gained = false;
  for (const set of [c.modified, c.added]) {
    for (const p of set.paths()) {
      tree = withMember(tree, p, 0, true);
      gained = true;
    }
  }
  if (!Object.keys(tree).length) return [];
  const entry: ManagedFieldsEntry = gained
    ? { manager: input.manager, operation: 'Update', apiVersion: input.apiVersion, time: rfc3339(input.now), fieldsType: 'FieldsV1', fieldsV1: tree }
    : { manager: prev!.manager, operation: prev!.operation, apiVersion: prev!.apiVersion, time: prev!.time, fieldsType: 'FieldsV1', fieldsV1: tree };
  const subresource = gained ? input.subresource : prev!.subresource;
  if (subresource) entry.subresource = subresource;
  return [entry];
}

/** whether a node of a FieldsV1 tree is a member itself: a leaf, or "." beside children (the root only by ".") */
function isMember(node: JsonMap, root: boolean): boolean {
  return '.' in node || (!root && Object.keys(node).length === 0);
}

/** `node` with child `e` set to `child` (or removed), "." first when a member, the rest sorted */
function withChild(node: JsonMap, e: PathElement, child: JsonMap | undefined, member: boolean): JsonMap {
  const keys = Object.keys(node).filter((k) => k !== '.' && k !== e);
  if (child !== undefined) keys.push(e);
  keys.sort();
  const out: JsonMap = member ? { '.': {} } : {};
  for (const k of keys) out[k] = k === e ? child : node[k];
  return out;
}

/** a canonical FieldsV1 tree (undefined: absent) with `path` from element i a member; the nodes on the way are copied, the rest shared */
function withMember(node: JsonMap | undefined, path: FieldPath, i: number, root: boolean): JsonMap {
  if (i === path.length) {
    if (node === undefined) return {};
    return isMember(node, root) ? node : { '.': {}, ...node };
  }
  const e = path[i]!;
  const child = node?.[e] as JsonMap | undefined;
  const next = withMember(child, path, i + 1, false);
  if (node !== undefined && next === child) return node;
  return withChild(node ?? {}, e, next, node !== undefined && isMember(node, root));
}

/** a canonical FieldsV1 tree with `path` from element i no longer a member; undefined when the node is left with nothing */
function withoutMember(node: JsonMap, path: FieldPath, i: number, root: boolean): JsonMap | undefined {
  if (i === path.length) {
    if (!isMember(node, root)) return node;
    const { '.': _member, ...children } = node;
    return Object.keys(children).length ? children : root ? {} : undefined;
  }
  const e = path[i]!;
  const child = node[e] as JsonMap | undefined;
  if (child === undefined) return node;
  const next = withoutMember(child, path, i + 1, false);
  if (next === child) return node;
  const member = isMember(node, root);
  const out = withChild(node, e, next, member);
  if (Object.keys(out).some((k) => k !== '.')) return out;
  // no children left: a member is a leaf again, the root an empty set, anything else is gone
  return root || member ? {} : undefined;
}

/** FieldsV1 as fieldSetToFieldsV1 writes it: keys sorted, leaves `{}`, `"."` first and only beside children */
function isCanonicalFieldsV1(n: unknown): boolean {
  if (!isMap(n)) return false;
  const keys = Object.keys(n);
  let i = 0;
  if (keys[0] === '.') {
    if (keys.length < 2 || !isMap(n['.']) || Object.keys(n['.']).length > 0) return false;
    i = 1;
  }
  for (let prev = ''; i < keys.length; i++) {
    const k = keys[i];
    if (k <= prev || k === '.' || !isCanonicalFieldsV1(n[k])) return false;
    prev = k;
  }
  return true;
}

/** whether a FieldsV1 tree holds `path` (as fieldSetFromFieldsV1 would read it), without decoding it */
function fieldsV1Has(fields: unknown, path: FieldPath): boolean {
  let n = fields;
  for (const e of path) {
    if (!isMap(n) || !(e in n)) return false;
    n = n[e];
  }
  return !isMap(n) || '.' in n || Object.keys(n).length === 0;
}

interface ApplyInput {
  /** the current object, or undefined when the apply creates it */
  live: KubeObject | undefined;
  /** the applied configuration (the request body) */
  applied: KubeObject;
  manager: string;
  force: boolean;
  subresource?: string;
  schema: Schema | undefined;
  resolve: SchemaResolver;
  apiVersion: string;
  now: Date;
}

interface ApplyResult {
  /** the merged object, without managedFields; equal to live (deep) when the apply changed nothing */
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
  /** false when neither the object nor its ownership changed */
  changed: boolean;
}

/**
 * Server-side apply: merges `applied` into `live`, removes fields this manager applied before and
 * no longer applies (unless someone else owns them), and records ownership. Conflicts with other
 * managers' fields → 409 with structured-merge-diff's message, unless `force` takes them over.
 */
export function applyServerSide(input: ApplyInput): ApplyResult {
  const w: Walker = { resolve: input.resolve };
  const root = node(input.schema, w);
  const liveObj = (withoutManagedFields(input.live) ?? {}) as JsonMap;
  const config = withoutManagedFields(input.applied) as JsonMap;
  const m = decodeManaged(objectManagedFields(input.live));
  const self: ManagedFieldsEntry = { manager: input.manager, operation: 'Apply', apiVersion: input.apiVersion, subresource: input.subresource };
  const key = managerKey(self);
  const lastSet = m.get(key)?.set;

  let merged = mergeValues(liveObj, config, root, w);
  const appliedSet = fieldSetOf(config, input.schema, input.resolve);
  m.set(key, { entry: { ...(m.get(key)?.entry ?? self), ...self }, set: appliedSet });

  if (lastSet && !lastSet.empty()) {
    let owned = new FieldSet();
    for (const mg of m.values()) owned = owned.union(mg.set);
    const toRemove = lastSet.difference(withFieldPrefixes(owned));
    merged = removePaths(merged, toRemove, root, [], w);
  }
  merged = dropNulls(merged);

  const c = compare(liveObj, merged, input.schema, w);
  const { conflicts } = settleOthers(m, key, c, input.force);
  if (conflicts.length) throw conflictError(conflicts);

  const objectChanged = !deepEqual(liveObj, merged);
  const setChanged = !lastSet || lastSet.size !== appliedSet.size || !lastSet.paths().every((p) => appliedSet.has(p));
  const mine = m.get(key)!;
  const prevTime = decodeManaged(objectManagedFields(input.live)).get(key)?.entry.time;
  mine.entry = { ...self, time: objectChanged || setChanged || !prevTime ? rfc3339(input.now) : prevTime };
  const managedFields = encodeManaged(m);
  const before = JSON.stringify(objectManagedFields(input.live) ?? []);
  return { object: merged as KubeObject, managedFields, changed: objectChanged || before !== JSON.stringify(managedFields) };
}
