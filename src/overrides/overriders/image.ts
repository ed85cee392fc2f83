// imageOverrider: changes the registry, repository or tag of container images.
import type { ImageOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { OverrideError } from '../errors.js';
import { formatImage, parseImage, removeTagOrDigest, setTagOrDigest, type ImageComponents } from '../../apimachinery/imageref.js';
import { getAt } from '../../apimachinery/jsonpointer.js';
import { applyPatch, type PatchOp } from '../patch.js';
import { containersAt, podSpecPointerOf } from './workload.js';

/** The image after one overrider, with Karmada's per-component add (append), replace and remove. */
export function overrideImage(image: string, o: ImageOverrider): string {
  let c: ImageComponents;
  try {
    c = parseImage(image);
  } catch (e) {
    throw new OverrideError(`failed to parse image value(${image}), error: ${(e as Error).message}`);
  }
  const value = o.value ?? '';
  switch (o.component) {
    case 'Registry':
      if (o.operator === 'add') c = { ...c, registry: c.registry + value };
      else if (o.operator === 'replace') c = { ...c, registry: value };
      else if (o.operator === 'remove') c = { ...c, registry: '' };
      break;
    case 'Repository':
      if (o.operator === 'add') c = { ...c, repository: c.repository + value };
      else if (o.operator === 'replace') c = { ...c, repository: value };
      else if (o.operator === 'remove') c = { ...c, repository: '' };
      break;
    case 'Tag':
      if (o.operator === 'add') c = setTagOrDigest(c, (c.tag || c.digest) + value);
      else if (o.operator === 'replace') c = setTagOrDigest(c, value);
      else if (o.operator === 'remove') c = removeTagOrDigest(c);
      break;
    default:
      throw new OverrideError(`unsupported image component(${String(o.component)})`);
  }
  return formatImage(c);
}

/** JSON pointers of every image the overrider touches: its predicate, or all (init) containers of a known workload. */
function imagePointers(obj: KubeObject, o: ImageOverrider): string[] {
  if (o.predicate) return [o.predicate.path];
  const podSpec = podSpecPointerOf(obj);
  if (!podSpec) return [];
  const pointers: string[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    for (const { index, container } of containersAt(obj, podSpec, list)) {
      if (typeof container.image === 'string') pointers.push(`${podSpec}/${list}/${index}/image`);
    }
  }
  return pointers;
}

export function applyImageOverrider(obj: KubeObject, o: ImageOverrider): KubeObject {
  const ops: PatchOp[] = [];
  for (const pointer of imagePointers(obj, o)) {
    if (!pointer.startsWith('/')) throw new OverrideError(`image path ${JSON.stringify(pointer)} should start with "/"`);
    const at = getAt(obj, pointer);
    if (!at.found) throw new OverrideError(`failed to obtain image with predicate path(${pointer}): ${at.missing} does not exist`);
    if (typeof at.value !== 'string') throw new OverrideError(`failed to obtain image with predicate path(${pointer}): value is not a string`);
    ops.push({ op: 'replace', path: pointer, value: overrideImage(at.value, o) });
  }
  return ops.length === 0 ? obj : applyPatch(obj, ops);
}
