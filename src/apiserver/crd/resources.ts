// What a CRD makes the API server serve: one ResourceDef per served version.
import { type PrinterColumn, type ResourceDef, standardVerbs } from '../../apis/resource.js';
import { crdTableConvertor } from '../../apis/tables/table.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { CustomResourceDefinition } from '../../apis/apiextensions/types.js';

/** The value at a simple JSON path (".spec.color") as a field selector sees it; undefined if absent. */
function scalarAt(obj: KubeObject, jsonPath: string): string | undefined {
  let node: unknown = obj;
  for (const part of jsonPath.replace(/^\./, '').split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node === undefined || node === null || typeof node === 'object' ? undefined : String(node);
}

/**
 * One ResourceDef per served version, named by the accepted names (the spec's until status has
 * them). All versions share storage at the storage version; with conversion strategy None only
 * apiVersion changes between versions, which is what an absent convertor means.
 */
export function crdToResourceDefs(crd: CustomResourceDefinition): ResourceDef[] {
  const names = crd.status?.acceptedNames?.plural ? crd.status.acceptedNames : crd.spec.names;
  const group = crd.spec.group;
  const storageVersion = crd.spec.versions.find((v) => v.storage)?.name ?? crd.spec.versions[0]?.name;
  return crd.spec.versions
    .filter((v) => v.served)
    .map((v) => {
      const columns: PrinterColumn[] | undefined = v.additionalPrinterColumns?.map((c) => ({
        name: c.name,
        type: c.type as PrinterColumn['type'],
        format: c.format,
        description: c.description,
        priority: c.priority,
        jsonPath: c.jsonPath,
      }));
      const def: ResourceDef = {
        group,
        version: v.name,
        resource: names.plural,
        singular: names.singular || names.kind.toLowerCase(),
        kind: names.kind,
        listKind: names.listKind || `${names.kind}List`,
        namespaced: crd.spec.scope === 'Namespaced',
        verbs: [...standardVerbs],
        subresources: {},
        storage: { group, resource: names.plural, version: storageVersion },
        schema: v.schema?.openAPIV3Schema,
        table: crdTableConvertor(columns),
        allowUnconditionalUpdate: false,
        strategicMergePatch: false,
      };
      if (names.shortNames?.length) def.shortNames = [...names.shortNames];
      if (names.categories?.length) def.categories = [...names.categories];
      if (v.subresources?.status) def.subresources.status = true;
      if (v.subresources?.scale) def.subresources.scale = { ...v.subresources.scale };
      if (v.selectableFields?.length) {
        def.fieldSelectors = Object.fromEntries(v.selectableFields.map((f) => [f.jsonPath.replace(/^\./, ''), (obj: KubeObject) => scalarAt(obj, f.jsonPath)]));
      }
      return def;
    });
}
