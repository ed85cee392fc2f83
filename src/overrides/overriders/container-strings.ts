// Shared by commandOverrider and argsOverrider: add or remove items of a container's string list.
import type { CommandArgsOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { OverrideError } from '../errors.js';
import { applyPatch, type PatchOp } from '../patch.js';
import { containersAt, podSpecPointerOf } from './workload.js';

/** Karmada's rule: add appends the values; remove drops every item equal to one of them. */
function overrideStrings(current: readonly string[], o: CommandArgsOverrider): string[] {
  const values = o.value ?? [];
  if (o.operator === 'add') return [...current, ...values];
  if (o.operator === 'remove') {
    const drop = new Set(values);
    return current.filter((v) => !drop.has(v));
  }
  return [...current];
}

/**
 * Applies the overrider to `field` of every container (not init container, as in Karmada) named
 * `containerName` in a known workload kind; other kinds and unknown names are left alone.
 */
export function applyContainerStringsOverrider(obj: KubeObject, o: CommandArgsOverrider, field: 'command' | 'args'): KubeObject {
  if (o.value !== undefined && !Array.isArray(o.value)) throw new OverrideError(`value must be a list of strings, not ${JSON.stringify(o.value)}`);
  const podSpec = podSpecPointerOf(obj);
  if (!podSpec) return obj;
  const ops: PatchOp[] = [];
  for (const { index, container } of containersAt(obj, podSpec, 'containers')) {
    if (container.name !== o.containerName) continue;
    const path = `${podSpec}/containers/${index}/${field}`;
    const current = container[field];
    if (current === undefined || current === null) {
      // Karmada adds the field even for remove, which leaves an empty list.
      ops.push({ op: 'add', path, value: overrideStrings([], o) });
    } else if (Array.isArray(current)) {
      ops.push({ op: 'replace', path, value: overrideStrings(current.map(String), o) });
    } else {
      throw new OverrideError(`container ${JSON.stringify(o.containerName)} has a ${field} that is not a list`);
    }
  }
  return ops.length === 0 ? obj : applyPatch(obj, ops);
}
