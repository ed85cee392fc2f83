// Field errors and JSON helpers for admission rules: objects arrive as JSON the schema already
// checked for types, but rules still read them defensively.
import type { FieldError } from '../../../apimachinery/errors.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The object at `v`, or an empty one. */
export function objAt(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/** The elements of a list that are objects, with their index. */
export function itemsAt(v: unknown): [Obj, number][] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x, i): [Obj, number][] => (isObj(x) ? [[x, i]] : []));
}

export function strAt(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function numAt(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

export const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, ...(detail ? { detail } : {}) });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({ type: 'FieldValueNotSupported', field, value, supported });

/** One Invalid error per message of a name checker such as isQualifiedName. */
export function messagesAt(field: string, value: string, messages: string[]): FieldError[] {
  return messages.map((m) => invalid(field, value, m));
}
