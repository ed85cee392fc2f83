// commandOverrider: adds or removes items of a named container's command.
import type { CommandArgsOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyContainerStringsOverrider } from './container-strings.js';

export function applyCommandOverrider(obj: KubeObject, o: CommandArgsOverrider): KubeObject {
  return applyContainerStringsOverrider(obj, o, 'command');
}
