// fieldOverrider: JSON patch operations inside a string field that holds a JSON or YAML document,
// e.g. a key of a ConfigMap's data. The field is decoded, patched and encoded back to a string.
import YAML from 'yaml';
import type { FieldOverrider, JSONPatchOperation } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { OverrideError } from '../errors.js';
import { getAt, pointerProblem } from '../../apimachinery/jsonpointer.js';
import { applyPatch, type PatchOp } from '../patch.js';

function toOps(ops: readonly JSONPatchOperation[]): PatchOp[] {
  for (const o of ops) {
    const problem = pointerProblem(o.subPath);
    if (problem) throw new OverrideError(`subPath ${JSON.stringify(o.subPath)}: ${problem}`);
  }
  return ops.map((o) => ({ op: o.operator, path: o.subPath, value: o.value }));
}

function decode(text: string, format: 'json' | 'yaml', fieldPath: string): unknown {
  try {
    // YAML 1.1 as sigs.k8s.io/yaml reads it (yes/no are booleans).
    return format === 'json' ? JSON.parse(text) : YAML.parse(text, { version: '1.1' });
  } catch (e) {
    throw new OverrideError(`value at ${fieldPath} is not valid ${format.toUpperCase()}: ${(e as Error).message.split('\n')[0]}`);
  }
}

function encode(doc: unknown, format: 'json' | 'yaml'): string {
  if (format === 'json') return JSON.stringify(doc);
  // go-yaml's style, which Karmada writes with: sorted keys, list items not indented under their key.
  return YAML.stringify(doc, { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}

export function applyFieldOverrider(obj: KubeObject, o: FieldOverrider): KubeObject {
  const problem = pointerProblem(o.fieldPath);
  if (problem) throw new OverrideError(`fieldPath ${JSON.stringify(o.fieldPath)}: ${problem}`);
  const at = getAt(obj, o.fieldPath);
  if (!at.found) throw new OverrideError(`fieldPath ${o.fieldPath} does not exist (${at.missing} is missing)`);
  if (typeof at.value !== 'string') throw new OverrideError(`value at fieldPath ${o.fieldPath} is not a string`);
  // YAML wins when both are given, as in Karmada (admission refuses that combination anyway).
  const format = o.yaml && o.yaml.length > 0 ? 'yaml' : o.json && o.json.length > 0 ? 'json' : undefined;
  if (!format) return obj;
  const ops = toOps(format === 'yaml' ? o.yaml! : o.json!);
  let patched: unknown;
  try {
    patched = applyPatch(decode(at.value, format, o.fieldPath), ops);
  } catch (e) {
    if (e instanceof OverrideError) throw new OverrideError(`in ${format.toUpperCase()} at ${o.fieldPath}: ${e.message}`);
    throw e;
  }
  return applyPatch(obj, [{ op: 'replace', path: o.fieldPath, value: encode(patched, format) }]);
}
