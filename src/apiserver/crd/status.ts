// The status apiextensions' naming and establishing controllers give a CRD: which names it was
// granted (a name another CRD of the same group already holds is refused), NamesAccepted,
// Established, and the versions ever used for storage.
import type { CustomResourceDefinition, CustomResourceDefinitionCondition, CustomResourceDefinitionNames, CustomResourceDefinitionStatus } from '../../apis/apiextensions/types.js';

/** Names already held by other CRDs of the same group: resource names and kind names. */
function takenNames(group: string, others: CustomResourceDefinition[]): { resources: Set<string>; kinds: Set<string> } {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const o of others) {
    if (o.spec?.group !== group) continue;
    const n = o.status?.acceptedNames;
    if (!n) continue;
    for (const r of [n.plural, n.singular, ...(n.shortNames ?? [])]) if (r) resources.add(r);
    for (const k of [n.kind, n.listKind]) if (k) kinds.add(k);
  }
  return { resources, kinds };
}

const inUse = (name: string) => `"${name}" is already in use`;

function withTransition(cond: Omit<CustomResourceDefinitionCondition, 'lastTransitionTime'>, previous: CustomResourceDefinitionCondition | undefined, now: string): CustomResourceDefinitionCondition {
  const lastTransitionTime = previous && previous.status === cond.status && previous.lastTransitionTime ? previous.lastTransitionTime : now;
  return { type: cond.type, status: cond.status, lastTransitionTime, reason: cond.reason, message: cond.message };
}

/**
 * The status a CRD should have, given the other CRDs. Names already accepted for this CRD stay
 * accepted; a requested name another CRD of the group holds is refused (NamesAccepted=False with
 * PluralConflict/SingularConflict/ShortNamesConflict/KindConflict/ListKindConflict). Once names are
 * accepted the CRD is Established (and stays so).
 */
export function crdStatus(crd: CustomResourceDefinition, others: CustomResourceDefinition[], now: Date = new Date()): CustomResourceDefinitionStatus {
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const requested = crd.spec.names;
  const accepted: Partial<CustomResourceDefinitionNames> = crd.status?.acceptedNames ?? {};
  const next: Partial<CustomResourceDefinitionNames> = { ...accepted };
  const { resources, kinds } = takenNames(crd.spec.group, others.filter((o) => o.metadata.name !== crd.metadata.name));
  let conflict: { reason: string; message: string } | undefined;
  const freshOrOurs = (want: string | undefined, have: string | undefined, used: Set<string>) => want === have || !want || !used.has(want);

  if (freshOrOurs(requested.plural, accepted.plural, resources)) next.plural = requested.plural;
  else conflict = { reason: 'PluralConflict', message: inUse(requested.plural) };
  if (freshOrOurs(requested.singular, accepted.singular, resources)) next.singular = requested.singular;
  else conflict = { reason: 'SingularConflict', message: inUse(requested.singular!) };
  const shortConflicts = (requested.shortNames ?? []).filter((s) => !(accepted.shortNames ?? []).includes(s) && resources.has(s));
  if (shortConflicts.length === 0) next.shortNames = requested.shortNames;
  else conflict = { reason: 'ShortNamesConflict', message: shortConflicts.length === 1 ? inUse(shortConflicts[0]) : `[${shortConflicts.map(inUse).join(', ')}]` };
  if (freshOrOurs(requested.kind, accepted.kind, kinds)) next.kind = requested.kind;
  else conflict = { reason: 'KindConflict', message: inUse(requested.kind) };
  const listKind = requested.listKind ?? `${requested.kind}List`;
  if (freshOrOurs(listKind, accepted.listKind, kinds)) next.listKind = listKind;
  else conflict = { reason: 'ListKindConflict', message: inUse(listKind) };
  next.categories = requested.categories;

  const previous = (type: string) => crd.status?.conditions?.find((c) => c.type === type);
  const namesAccepted = withTransition(
    conflict ? { type: 'NamesAccepted', status: 'False', ...conflict } : { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
    previous('NamesAccepted'),
    time,
  );
  const wasEstablished = previous('Established')?.status === 'True';
  const established = withTransition(
    wasEstablished || !conflict
      ? { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }
      : { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
    previous('Established'),
    time,
  );
  const otherConditions = (crd.status?.conditions ?? []).filter((c) => c.type !== 'NamesAccepted' && c.type !== 'Established');

  const storedVersions = [...(crd.status?.storedVersions ?? [])];
  const storage = crd.spec.versions.find((v) => v.storage)?.name;
  if (storage && !storedVersions.includes(storage)) storedVersions.push(storage);

  const acceptedNames = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as unknown as CustomResourceDefinitionNames;
  return { acceptedNames, conditions: [namesAccepted, established, ...otherConditions], storedVersions };
}
