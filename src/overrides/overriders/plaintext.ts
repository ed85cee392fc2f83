// plaintext: JSON patch operations (add, remove, replace) at JSON pointer paths.
import type { PlaintextOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { OverrideError } from '../errors.js';
import { pointerProblem } from '../../apimachinery/jsonpointer.js';
import { applyPatch } from '../patch.js';

/** All plaintext overriders of a rule form one patch, as in Karmada: one failing op fails them all. */
export function applyPlaintextOverriders(obj: KubeObject, overriders: readonly PlaintextOverrider[]): KubeObject {
  if (overriders.length === 0) return obj;
  for (const o of overriders) {
    const problem = pointerProblem(o.path);
    if (problem) throw new OverrideError(`path ${JSON.stringify(o.path)}: ${problem}`);
  }
  return applyPatch(
    obj,
    overriders.map((o) => ({ op: o.operator, path: o.path, value: o.value })),
  );
}
