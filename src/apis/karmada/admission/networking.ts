// MultiClusterService validation: exposure types, ports and cluster names.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { validateClusterName } from './cluster.js';
import { duplicate, invalid, itemsAt, messagesAt, numAt, objAt, required, strAt } from './fields.js';

export const MultiClusterServicePermanentIDLabel = 'multiclusterservice.karmada.io/permanent-id';

export function validateMultiClusterService(obj: KubeObject): FieldError[] {
  const spec = objAt(obj.spec);
  const errs: FieldError[] = [];
  const types = Array.isArray(spec.types) ? spec.types : [];
  if (types.length === 0) errs.push(required('spec.types'));
  const seenTypes = new Set<unknown>();
  types.forEach((t, i) => {
    if (seenTypes.has(t)) errs.push(duplicate(`spec.types[${i}]`, t));
    seenTypes.add(t);
  });
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const [port, i] of itemsAt(spec.ports)) {
    const p = `spec.ports[${i}]`;
    const name = strAt(port.name);
    const n = numAt(port.port) ?? 0;
    if (name) {
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      names.add(name);
    }
    if (n < 1 || n > 65535) errs.push(invalid(`${p}.port`, n, 'must be between 1 and 65535, inclusive'));
    else if (numbers.has(n)) errs.push(duplicate(`${p}.port`, n));
    numbers.add(n);
  }
  for (const list of ['providerClusters', 'consumerClusters'] as const) {
    for (const [c, i] of itemsAt(spec[list])) {
      const name = strAt(c.name);
      errs.push(...messagesAt(`spec.${list}[${i}].name`, name, validateClusterName(name)));
    }
  }
  return errs;
}
