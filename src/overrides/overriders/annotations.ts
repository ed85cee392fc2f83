// annotationsOverrider: adds, replaces or removes metadata.annotations.
import type { LabelAnnotationOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyMetadataMapOverrider } from './metadata-map.js';

export function applyAnnotationsOverrider(obj: KubeObject, o: LabelAnnotationOverrider): KubeObject {
  return applyMetadataMapOverrider(obj, o, 'annotations');
}
