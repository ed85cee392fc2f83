// Cell formatting shared by the built-in printers, as apimachinery formats labels and selectors.
import { at, isObject, list, obj, str } from './json.js';

/** labels.FormatLabels: `k=v` pairs sorted by key, comma-joined; `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const s = labelSetString(labels);
  return s === '' ? '<none>' : s;
}

function labelSetString(labels: unknown): string {
  const m = obj(labels);
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${str(m[k])}`)
    .join(',');
}

/**
 * The string form of a metav1.LabelSelector (LabelSelectorAsSelector(...).String()): requirements
 * sorted by key; `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. Empty or absent selects nothing/everything: "".
 */
export function selectorString(selector: unknown): string {
  if (!isObject(selector)) return '';
  const reqs: { key: string; text: string }[] = [];
  const matchLabels = obj(selector.matchLabels);
  for (const k of Object.keys(matchLabels)) reqs.push({ key: k, text: `${k}=${str(matchLabels[k])}` });
  for (const e of list(selector.matchExpressions)) {
    const key = str(at(e, 'key'));
    const values = list(at(e, 'values')).map((v) => str(v)).sort();
    switch (str(at(e, 'operator'))) {
      case 'In':
        reqs.push({ key, text: `${key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        reqs.push({ key, text: `${key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        reqs.push({ key, text: `!${key}` });
        break;
    }
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when it is empty. */
export function formatLabelSelector(selector: unknown): string {
  const s = selectorString(selector);
  return s === '' ? '<none>' : s;
}

/** layoutContainerCells: container names and images, each comma-joined. */
export function containerCells(containers: unknown): [string, string] {
  const cs = list(containers);
  return [cs.map((c) => str(at(c, 'name'))).join(','), cs.map((c) => str(at(c, 'image'))).join(',')];
}

/** printBoolPtr: True / False / <unset>. */
export function boolPtr(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

/** A quantity or int-or-string as Go's String() prints it (quantities are kept as written). */
export function quantityText(v: unknown): string {
  if (typeof v === 'number') return String(v);
  return str(v, '0');
}

/** Comma-joined first `max` items with ` + N more...` when there are more; `<unset>` when none. */
export function listWithMore(items: string[], max = 3, emptyText = '<unset>'): string {
  if (items.length === 0) return emptyText;
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}
