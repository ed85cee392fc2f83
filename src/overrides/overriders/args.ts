// argsOverrider: adds or removes items of a named container's args.
import type { CommandArgsOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyContainerStringsOverrider } from './container-strings.js';

export function applyArgsOverrider(obj: KubeObject, o: CommandArgsOverrider): KubeObject {
  return applyContainerStringsOverrider(obj, o, 'args');
}
