// Defaulting of a CustomResourceDefinition, as apiextensions v1's SetDefaults_* functions do.
import type { CustomResourceDefinition } from '../../apis/apiextensions/types.js';

export function defaultCRD(crd: CustomResourceDefinition): void {
  const spec = (crd.spec ??= {} as CustomResourceDefinition['spec']);
  const names = (spec.names ??= {} as CustomResourceDefinition['spec']['names']);
  if (!names.singular && names.kind) names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  spec.conversion ??= { strategy: 'None' };
  crd.status ??= {};
  if (!crd.status.storedVersions?.length) {
    const storage = spec.versions?.find((v) => v.storage);
    crd.status.storedVersions = storage ? [storage.name] : [];
  }
}
