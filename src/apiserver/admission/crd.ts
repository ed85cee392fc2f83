// Validation and defaulting of CustomResourceDefinitions themselves, as apiextensions-apiserver does.
import type { AdmissionPlugin } from '../rest/admission.js';
import { defaultCRD, validateCRD, type CustomResourceDefinition } from '../crd/index.js';

export function crdAdmission(): AdmissionPlugin {
  const isCRD = (group: string, resource: string) => group === 'apiextensions.k8s.io' && resource === 'customresourcedefinitions';
  return {
    name: 'CustomResourceDefinitions',
    mutate(req) {
      if (req.operation === 'DELETE' || req.subresource || !isCRD(req.def.group, req.def.resource)) return;
      defaultCRD(req.obj as CustomResourceDefinition);
    },
    validate(req) {
      if (req.operation === 'DELETE' || req.subresource || !isCRD(req.def.group, req.def.resource)) return;
      return validateCRD(req.obj as CustomResourceDefinition, req.old as CustomResourceDefinition | undefined);
    },
  };
}
