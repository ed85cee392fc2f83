// Server-side application of a strategic merge patch, following apimachinery's
// pkg/util/strategicpatch/patch.go (StrategicMergeMapPatch with MergeParallelList and
// IgnoreUnmatchedNulls) step by step, including its list ordering rules. Patch metadata
// (merge key, strategy) comes from the OpenAPI schema's x-kubernetes-patch-* extensions.
import { errors, type StatusError } from './errors.js';
import { propertyOf, type Schema, type SchemaResolver } from './schema.js';
import { deepCopyJson } from './clone.js';

type JsonMap = Record<string, unknown>;

const directiveMarker = '$patch';
const deleteDirective = 'delete';
const replaceDirective = 'replace';
const mergeDirective = 'merge';
const retainKeysDirective = '$retainKeys';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
const setElementOrderPrefix = '$setElementOrder';

class PatchError extends Error {
  constructor(
    message: string,
    readonly unprocessable = false,
  ) {
    super(message);
  }
}

const errBadPatchFormatForPrimitiveList = () => new PatchError('invalid patch format of primitive list');
const errBadPatchFormatForRetainKeys = () => new PatchError('invalid patch format of retainKeys');
const errBadPatchFormatForSetElementOrderList = () => new PatchError('invalid patch format of setElementOrder list');
const errNoListOfLists = () => new PatchError('lists of lists are not supported', true);
const errNoMergeKey = (m: unknown, key: string) => new PatchError(`map: ${show(m)} does not contain declared merge key: ${key}`);
const errBadPatchType = (t: unknown, m: unknown) => new PatchError(`unknown patch type: ${String(t)} in map: ${show(m)}`);
const errBadArgType = (expected: string, actual: unknown) => new PatchError(`expected a ${expected}, but received a ${kindName(actual)}`);

function show(v: unknown): string {
  return JSON.stringify(v);
}

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Kind = 'map' | 'slice' | 'string' | 'number' | 'bool' | 'null';

function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  return 'bool';
}

function kindName(v: unknown): string {
  const names: Record<Kind, string> = { map: 'map[string]interface {}', slice: '[]interface {}', string: 'string', number: 'float64', bool: 'bool', null: '<nil>' };
  return names[kindOf(v)];
}

// ---- schema lookup (LookupPatchMeta over OpenAPI) ------------------------------------------

interface PatchMeta {
  schema: Schema | undefined;
  strategies: string[];
  mergeKey: string;
}

function deref(schema: Schema | undefined, resolve: SchemaResolver): Schema | undefined {
  let s = schema;
  for (let i = 0; i < 16 && s; i++) {
    const r = resolve(s);
    if (r && r !== s) {
      s = r;
      continue;
    }
    if (s.allOf?.length === 1 && !s.properties && !s.items && !s.type) {
      s = s.allOf[0];
      continue;
    }
    if (s.$ref) return undefined;
    return s;
  }
  return s;
}

function metaOf(raw: Schema | undefined, resolve: SchemaResolver): PatchMeta {
  const target = deref(raw, resolve);
  const strategy = raw?.['x-kubernetes-patch-strategy'] ?? target?.['x-kubernetes-patch-strategy'] ?? '';
  const mergeKey = raw?.['x-kubernetes-patch-merge-key'] ?? target?.['x-kubernetes-patch-merge-key'] ?? '';
  return { schema: target, strategies: strategy ? strategy.split(',').map((s) => s.trim()) : [], mergeKey };
}

/** The schema and patch metadata of field `key` of an object schema (properties, then additionalProperties). */
function lookupField(schema: Schema | undefined, key: string, resolve: SchemaResolver): PatchMeta {
  const s = deref(schema, resolve);
  if (!s) return { schema: undefined, strategies: [], mergeKey: '' };
  const prop = propertyOf(s, key);
  if (prop) return metaOf(prop, resolve);
  if (isMap(s.additionalProperties)) return metaOf(s.additionalProperties as Schema, resolve);
  return { schema: undefined, strategies: [], mergeKey: '' };
}

function itemSchema(listSchema: Schema | undefined, resolve: SchemaResolver): Schema | undefined {
  return deref(deref(listSchema, resolve)?.items, resolve);
}

/** extractRetainKeysPatchStrategy: the non-retainKeys strategy ('', 'merge' or 'replace'). */
function mainStrategy(strategies: string[]): string {
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : strategies[0];
  if (strategies.length === 2 && strategies.includes('retainKeys')) {
    const other = strategies.find((s) => s !== 'retainKeys') ?? '';
    if (other === mergeDirective) return other;
  }
  throw new PatchError(`unexpected patch strategy: ${strategies.join(',')}`);
}

// ---- Go's sort.SliceStable, reproduced so ties and partial orders land where Go puts them ----

function goSliceStable<T>(data: T[], less: (a: T, b: T) => boolean): void {
  const lessIdx = (i: number, j: number) => less(data[i], data[j]);
  const swap = (i: number, j: number) => {
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  };
  const insertionSort = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && lessIdx(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, n: number) => {
    for (let i = 0; i < n; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (lessIdx(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!lessIdx(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const n = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = n - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!lessIdx(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  const n = data.length;
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}

// ---- list helpers -----------------------------------------------------------------------------

function sliceElementKind(...slices: unknown[][]): Kind {
  let prev: Kind | undefined;
  for (const s of slices) {
    for (const v of s) {
      const k = kindOf(v);
      if (prev === undefined) {
        prev = k;
        if (prev === 'slice') throw errNoListOfLists();
      } else if (prev !== k) {
        throw new PatchError(`list element types are not identical: ${show(slices)}`);
      }
    }
  }
  if (prev === undefined) throw new PatchError('no elements in any of the given slices');
  return prev;
}

/** apimachinery's in-place deduplication (it moves the last element into each duplicate's slot). */
function deduplicateScalars(input: unknown[]): unknown[] {
  const s = [...input];
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function findByKey(list: unknown[], key: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isMap(v)) throw new PatchError(`value for key ${i} is not a map.`);
    if (key in v && v[key] === value) return i;
  }
  return -1;
}

function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: Kind): number {
  const val = (x: unknown) => (kind === 'map' ? (isMap(x) ? x[mergeKey] : null) : x);
  const want = val(item);
  return list.findIndex((v) => val(v) === want);
}

function partitionPrimitives(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(by);
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) (inPatch.has(v) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isMap(v)) throw errBadArgType('map[string]interface {}', v);
    if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
    (findByKey(by, mergeKey, v[mergeKey]) >= 0 ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

function isDeleteItem(v: unknown): boolean {
  return isMap(v) && v[directiveMarker] === deleteDirective;
}

function normalizeSliceOrder(toSortIn: unknown[], order: unknown[], mergeKey: string, kind: Kind): unknown[] {
  let toSort = toSortIn;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isMap(item)) throw errBadArgType('map[string]interface {}', item);
        if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
      }
    }
    toDelete = toSort.filter(isDeleteItem);
    toSort = toSort.filter((v) => !isDeleteItem(v));
  } else {
    toSort = [...toSort];
  }
  goSliceStable(toSort, (a, b) => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...toSort, ...toDelete];
}

/** Inserts server-only items (left) among patch items (right) using the live order where both are known. */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

// ---- merging ----------------------------------------------------------------------------------

interface Ctx {
  resolve: SchemaResolver;
}

function extractKey(s: string, prefix: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) {
    if (prefix === deleteFromPrimitiveListPrefix) throw errBadPatchFormatForPrimitiveList();
    throw errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(i + 1);
}

function discardNullValues(v: unknown): void {
  if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNullValues(x);
    }
  } else if (Array.isArray(v)) {
    for (const x of v) discardNullValues(x);
  }
}

/** Directives must not leak into stored objects when a patch value is taken wholesale. */
function takeWhole(patchV: unknown, meta: PatchMeta, ctx: Ctx): unknown {
  if (isMap(patchV)) return mergeMap({}, patchV, meta.schema, ctx);
  if (Array.isArray(patchV) && patchV.length > 0 && mainStrategy(meta.strategies) === mergeDirective) {
    return mergeSlice([], patchV, itemSchema(meta.schema, ctx.resolve), meta.mergeKey, false, ctx);
  }
  discardNullValues(patchV);
  return patchV;
}

function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!(retainKeysDirective in patch)) return;
  const list = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(list)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** validatePatchWithSetOrderList: patch items must appear in the $setElementOrder list, in its order. */
function validateSetOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? patchList.filter((v) => !isDeleteItem(v)) : patchList;
  const same = (a: unknown, b: unknown) => {
    if (!mergeKey) return a === b;
    if (!isMap(a)) throw errBadArgType('map[string]interface {}', a);
    if (!isMap(b)) throw errBadArgType('map[string]interface {}', b);
    if (!(mergeKey in a)) throw errNoMergeKey(a, mergeKey);
    if (!(mergeKey in b)) throw errNoMergeKey(b, mergeKey);
    return a[mergeKey] === b[mergeKey];
  };
  let pi = 0;
  let oi = 0;
  while (pi < nonDelete.length && oi < order.length) {
    if (isMap(nonDelete[pi]) && directiveMarker in (nonDelete[pi] as JsonMap)) {
      pi++;
      continue;
    }
    if (same(nonDelete[pi], order[oi])) pi++;
    oi++;
  }
  if (pi < nonDelete.length && oi >= order.length) {
    throw new PatchError(`The order in patch list:\n${show(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${show(order)}\n`);
  }
}

function mergeSetElementOrder(original: JsonMap, patch: JsonMap, schema: Schema | undefined, ctx: Ctx): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
    const field = extractKey(key, setElementOrderPrefix);
    const foundOriginal = field in original;
    const foundPatch = field in patch;
    let originalList: unknown[] = [];
    let patchList: unknown[] = [];
    if (foundOriginal) {
      if (!Array.isArray(original[field])) throw errBadArgType('[]interface {}', original[field]);
      originalList = original[field] as unknown[];
    }
    if (foundPatch) {
      if (!Array.isArray(patch[field])) throw errBadArgType('[]interface {}', patch[field]);
      patchList = patch[field] as unknown[];
    }
    const meta = lookupField(schema, field, ctx.resolve);
    const strategy = mainStrategy(meta.strategies);
    const mergeKey = meta.mergeKey;
    validateSetOrder(patchList, order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = takeWhole(patchList, meta, ctx) as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalList, patchList, meta, strategy, false, ctx);
    else continue;
    const [patchItems, serverOnly] = mergeKey ? partitionMaps(merged, order, mergeKey) : partitionPrimitives(merged, order);
    let kind: Kind;
    try {
      kind = sliceElementKind(originalList, patchList);
    } catch (e) {
      // both lists empty: nothing to order
      if (originalList.length === 0 && patchList.length === 0) {
        original[field] = merged;
        delete patch[field];
        continue;
      }
      throw e;
    }
    original[field] = normalizeElementOrder(patchItems, serverOnly, order, originalList, mergeKey, kind);
    delete patch[field];
  }
}

function handleDirectiveInMap(directive: unknown, original: JsonMap, patch: JsonMap, schema: Schema | undefined, ctx: Ctx): JsonMap {
  if (directive === replaceDirective) {
    delete patch[directiveMarker];
    return mergeMap({}, patch, schema, ctx);
  }
  if (directive === deleteDirective) return {};
  // apimachinery rejects `$patch: merge` on maps; merging is what it means, so we accept it
  if (directive === mergeDirective) {
    delete patch[directiveMarker];
    return mergeMap(original, patch, schema, ctx);
  }
  throw errBadPatchType(directive, patch);
}

function mergeMap(originalIn: JsonMap | undefined, patch: JsonMap, schema: Schema | undefined, ctx: Ctx): JsonMap {
  const original = originalIn ?? {};
  if (directiveMarker in patch) return handleDirectiveInMap(patch[directiveMarker], original, patch, schema, ctx);
  applyRetainKeys(original, patch);
  mergeSetElementOrder(original, patch, schema, ctx);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let k = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(deleteFromPrimitiveListPrefix)) {
      k = extractKey(rawKey, deleteFromPrimitiveListPrefix);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[k];
      continue;
    }
    const meta = lookupField(schema, k, ctx.resolve);
    if (!(k in original)) {
      if (!isDeleteList) original[k] = takeWhole(patchV, meta, ctx);
      continue;
    }
    const originalV = original[k];
    if (kindOf(originalV) !== kindOf(patchV)) {
      if (!isDeleteList) original[k] = takeWhole(patchV, meta, ctx);
      continue;
    }
    const strategy = mainStrategy(meta.strategies);
    if (isMap(originalV)) {
      original[k] = strategy === replaceDirective ? takeWhole(patchV, meta, ctx) : mergeMap(originalV, patchV as JsonMap, meta.schema, ctx);
    } else if (Array.isArray(originalV)) {
      original[k] = mergeSliceHandler(originalV, patchV as unknown[], meta, strategy, isDeleteList, ctx);
    } else {
      original[k] = patchV;
    }
  }
  return original;
}

function mergeSliceHandler(original: unknown[], patch: unknown[], meta: PatchMeta, strategy: string, isDeleteList: boolean, ctx: Ctx): unknown[] {
  if (strategy === mergeDirective) return mergeSlice(original, patch, itemSchema(meta.schema, ctx.resolve), meta.mergeKey, isDeleteList, ctx);
  return patch;
}

function mergeSlice(originalIn: unknown[], patchIn: unknown[], elemSchema: Schema | undefined, mergeKey: string, isDeleteList: boolean, ctx: Ctx): unknown[] {
  let original = originalIn;
  let patch = patchIn;
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) {
      const del = new Set(patch);
      return original.filter((v) => !del.has(v));
    }
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') throw new PatchError('cannot merge lists without merge key for type map');
    [original, patch] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, elemSchema, ctx);
  }
  const [patchItems, serverOnly] = mergeKey ? partitionMaps(merged, patch, mergeKey) : partitionPrimitives(merged, patch);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

function mergeSliceWithSpecialElements(originalIn: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  let original = originalIn;
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as JsonMap;
    if (!(directiveMarker in m)) {
      plain.push(v);
      continue;
    }
    const directive = m[directiveMarker];
    if (directive === deleteDirective) {
      if (!(mergeKey in m)) throw errNoMergeKey(m, mergeKey);
      original = original.filter((o) => !(isMap(o) && mergeKey in o && o[mergeKey] === m[mergeKey]));
    } else if (directive === replaceDirective) {
      replace = true;
    } else if (directive === mergeDirective) {
      throw new PatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, m);
    }
  }
  // `$patch: replace` in a list: the list becomes the patch's other items
  if (replace) return [plain, []];
  return [original, plain];
}

function mergeSliceWithoutSpecialElements(originalIn: unknown[], patch: unknown[], mergeKey: string, elemSchema: Schema | undefined, ctx: Ctx): unknown[] {
  const original = [...originalIn];
  for (const v of patch) {
    const m = v as JsonMap;
    if (!(mergeKey in m)) throw errNoMergeKey(m, mergeKey);
    const i = findByKey(original, mergeKey, m[mergeKey]);
    if (i >= 0) original[i] = mergeMap(original[i] as JsonMap, m, elemSchema, ctx);
    else original.push(mergeMap({}, m, elemSchema, ctx));
  }
  return original;
}

function toStatusError(e: PatchError): StatusError {
  if (e.unprocessable) {
    return errors.invalidMessage('the server rejected our request due to an error in our request', [{ reason: 'UnexpectedServerResponse', message: e.message }]);
  }
  return errors.badRequest(e.message);
}

/**
 * Applies a strategic merge patch to `original` (neither is modified) and returns the result.
 * `schema` is the object's OpenAPI schema (undefined: every list is atomic, every map merges);
 * malformed patches → 400 BadRequest (422 for lists of lists), as the apiserver answers.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: Schema | undefined, resolve: SchemaResolver): unknown {
  if (!isMap(patch)) throw errors.badRequest('invalid JSON document');
  const orig = isMap(original) ? deepCopyJson(original) : {};
  try {
    return mergeMap(orig, deepCopyJson(patch), schema, { resolve });
  } catch (e) {
    if (e instanceof PatchError) throw toStatusError(e);
    throw e;
  }
}
