// Every CustomResourceDefinition of Karmada's API groups, as this control plane serves them.
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { appsCRDs } from './apps.js';
import { autoscalingCRDs } from './autoscaling.js';
import { clusterCRDs } from './cluster.js';
import { configCRDs } from './config.js';
import { multiclusterCRDs } from './multicluster.js';
import { networkingCRDs } from './networking.js';
import { policyCRDs } from './policy.js';
import { remedyCRDs } from './remedy.js';
import { searchCRDs } from './search.js';
import { workCRDs } from './work.js';

export function karmadaCRDs(): CustomResourceDefinition[] {
  return [
    ...clusterCRDs(),
    ...policyCRDs(),
    ...workCRDs(),
    ...configCRDs(),
    ...autoscalingCRDs(),
    ...networkingCRDs(),
    ...multiclusterCRDs(),
    ...appsCRDs(),
    ...remedyCRDs(),
    ...searchCRDs(),
  ];
}
