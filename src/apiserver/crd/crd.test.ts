import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../../apimachinery/errors.js';
import { crdStatus, crdToResourceDefs, defaultCRD, validateCRD, type CustomResourceDefinition } from './index.js';

function widgetCRD(edit?: (c: CustomResourceDefinition) => void): CustomResourceDefinition {
  const crd: CustomResourceDefinition = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.io' },
    spec: {
      group: 'example.io',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'], categories: ['all'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { replicas: { type: 'integer' }, color: { type: 'string' } } },
                status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
              },
            },
          },
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          additionalPrinterColumns: [{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
          selectableFields: [{ jsonPath: '.spec.color' }],
        },
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
        { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
  edit?.(crd);
  return crd;
}

const schemaPath = 'spec.versions[0].schema.openAPIV3Schema';

describe('validateCRD', () => {
  const cases: { name: string; edit: (c: CustomResourceDefinition) => void; want: string[] }[] = [
    { name: 'a valid CRD has no errors', edit: () => {}, want: [] },
    { name: 'name must be plural.group', edit: (c) => { c.metadata.name = 'widget.example.io'; }, want: ['metadata.name: Invalid value: "widget.example.io": must be spec.names.plural+"."+spec.group'] },
    { name: 'scope must be Namespaced or Cluster', edit: (c) => { c.spec.scope = 'Global'; }, want: ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'] },
    { name: 'group needs a dot', edit: (c) => { c.spec.group = 'example'; c.metadata.name = 'widgets.example'; }, want: ['spec.group: Invalid value: "example": should be a domain with at least one dot'] },
    { name: 'kind is required', edit: (c) => { c.spec.names.kind = ''; }, want: ['spec.names.kind: Required value'] },
    { name: 'kind and listKind differ', edit: (c) => { c.spec.names.listKind = 'Widget'; }, want: ['spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same'] },
    { name: 'exactly one storage version', edit: (c) => { c.spec.versions[1].storage = true; }, want: ['spec.versions: Invalid value: ["v1","v1beta1","v1alpha1"]: must have exactly one version marked as storage version'] },
    { name: 'version names are unique', edit: (c) => { c.spec.versions[2].name = 'v1'; }, want: ['spec.versions: Invalid value: ["v1","v1beta1","v1"]: must contain unique version names'] },
    { name: 'a schema is required', edit: (c) => { delete c.spec.versions[1].schema; }, want: ['spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required'] },
    { name: 'every specified field is typed', edit: (c) => { delete c.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec.type; }, want: [`${schemaPath}.properties[spec].type: Required value: must not be empty for specified object fields`] },
    { name: 'array items are typed', edit: (c) => { c.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec.properties!.list = { type: 'array', items: {} }; }, want: [`${schemaPath}.properties[spec].properties[list].items.type: Required value: must not be empty for specified array items`] },
    { name: 'untyped is fine under int-or-string and preserve-unknown-fields', edit: (c) => { Object.assign(c.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec.properties!, { port: { 'x-kubernetes-int-or-string': true }, free: { 'x-kubernetes-preserve-unknown-fields': true } }); }, want: [] },
    { name: 'the root must be an object', edit: (c) => { c.spec.versions[0].schema!.openAPIV3Schema!.type = 'string'; }, want: [`${schemaPath}.type: Invalid value: "string": must be object at the root`] },
    { name: 'metadata may only constrain name and generateName', edit: (c) => { c.spec.versions[0].schema!.openAPIV3Schema!.properties!.metadata = { type: 'object', properties: { labels: { type: 'object' } } }; }, want: [`${schemaPath}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`] },
    { name: 'metadata.name constraints are allowed', edit: (c) => { c.spec.versions[0].schema!.openAPIV3Schema!.properties!.metadata = { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } }; }, want: [] },
    { name: 'list-type map needs keys', edit: (c) => { c.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec.properties!.items = { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object', properties: { name: { type: 'string' } } } }; }, want: [`${schemaPath}.properties[spec].properties[items].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`] },
    { name: 'scale paths must be under .spec and .status', edit: (c) => { c.spec.versions[0].subresources!.scale!.specReplicasPath = '.status.replicas'; }, want: ['spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec'] },
    { name: 'printer column types are checked', edit: (c) => { c.spec.versions[0].additionalPrinterColumns![0].type = 'float'; }, want: ['spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "float": supported values: "boolean", "date", "integer", "number", "string"'] },
    { name: 'conversion strategy is None or Webhook', edit: (c) => { c.spec.conversion = { strategy: 'Magic' }; }, want: ['spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"'] },
    { name: 'plural is a DNS label', edit: (c) => { c.spec.names.plural = 'Widgets'; c.metadata.name = 'Widgets.example.io'; }, want: [`spec.names.plural: Invalid value: "Widgets": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(validateCRD(widgetCRD(c.edit)).map(formatFieldError), c.want));

  test('group is immutable on update', () => {
    const old = widgetCRD();
    const next = widgetCRD((c) => { c.spec.group = 'other.io'; c.metadata.name = 'widgets.other.io'; });
    assert.deepEqual(validateCRD(next, old).map(formatFieldError), ['spec.group: Invalid value: "other.io": field is immutable']);
  });
});

describe('defaultCRD', () => {
  test('fills singular, listKind, conversion and storedVersions', () => {
    const crd = widgetCRD((c) => { delete c.spec.names.singular; delete c.spec.names.listKind; });
    defaultCRD(crd);
    assert.equal(crd.spec.names.singular, 'widget');
    assert.equal(crd.spec.names.listKind, 'WidgetList');
    assert.deepEqual(crd.spec.conversion, { strategy: 'None' });
    assert.deepEqual(crd.status?.storedVersions, ['v1']);
  });
  test('keeps what is set', () => {
    const crd = widgetCRD((c) => { c.spec.names.singular = 'wdg'; c.spec.conversion = { strategy: 'Webhook', webhook: {} }; });
    defaultCRD(crd);
    assert.equal(crd.spec.names.singular, 'wdg');
    assert.equal(crd.spec.conversion?.strategy, 'Webhook');
  });
});

describe('crdStatus', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const accepted = (c: CustomResourceDefinition) => { c.status = crdStatus(c, [], now); return c; };
  const cond = (s: ReturnType<typeof crdStatus>, type: string) => s.conditions!.find((c) => c.type === type)!;
  const cases: { name: string; crd: CustomResourceDefinition; others: CustomResourceDefinition[]; names: string; reason: string; established: string }[] = [
    { name: 'no conflicts: names accepted and established', crd: widgetCRD(), others: [], names: 'True', reason: 'NoConflicts', established: 'True' },
    { name: 'plural held by another CRD of the group', crd: widgetCRD(), others: [accepted(widgetCRD((c) => { c.metadata.name = 'widgets2.example.io'; c.spec.names = { plural: 'widgets', singular: 'w2', kind: 'W2' }; }))], names: 'False', reason: 'PluralConflict', established: 'False' },
    { name: 'kind held by another CRD of the group', crd: widgetCRD(), others: [accepted(widgetCRD((c) => { c.metadata.name = 'gadgets.example.io'; c.spec.names = { plural: 'gadgets', singular: 'gadget', kind: 'Widget', listKind: 'GadgetList' }; }))], names: 'False', reason: 'KindConflict', established: 'False' },
    { name: 'short name held by another CRD of the group', crd: widgetCRD(), others: [accepted(widgetCRD((c) => { c.metadata.name = 'gadgets.example.io'; c.spec.names = { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['wd'] }; }))], names: 'False', reason: 'ShortNamesConflict', established: 'False' },
    { name: 'the same names in another group do not conflict', crd: widgetCRD(), others: [accepted(widgetCRD((c) => { c.metadata.name = 'widgets.other.io'; c.spec.group = 'other.io'; }))], names: 'True', reason: 'NoConflicts', established: 'True' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const s = crdStatus(c.crd, c.others, now);
      assert.equal(cond(s, 'NamesAccepted').status, c.names);
      assert.equal(cond(s, 'NamesAccepted').reason, c.reason);
      assert.equal(cond(s, 'Established').status, c.established);
    });
  }
  test('accepted names, storedVersions and condition times', () => {
    const crd = widgetCRD();
    const s = crdStatus(crd, [], now);
    assert.deepEqual(s.acceptedNames, { plural: 'widgets', singular: 'widget', shortNames: ['wd'], kind: 'Widget', listKind: 'WidgetList', categories: ['all'] });
    assert.deepEqual(s.storedVersions, ['v1']);
    assert.equal(cond(s, 'Established').lastTransitionTime, '2025-01-01T00:00:00Z');
    crd.status = s;
    const later = crdStatus(crd, [], new Date('2025-02-01T00:00:00Z'));
    assert.equal(cond(later, 'Established').lastTransitionTime, '2025-01-01T00:00:00Z');
  });
  test('a changed storage version is added to storedVersions', () => {
    const crd = widgetCRD();
    crd.status = crdStatus(crd, [], now);
    crd.spec.versions[0].storage = false;
    crd.spec.versions[1].storage = true;
    assert.deepEqual(crdStatus(crd, [], now).storedVersions, ['v1', 'v1beta1']);
  });
  test('an accepted name stays ours even when another CRD now claims it', () => {
    const crd = widgetCRD();
    crd.status = crdStatus(crd, [], now);
    const rival = widgetCRD((c) => { c.metadata.name = 'x.example.io'; c.status = { acceptedNames: { plural: 'widgets', kind: 'X' } }; });
    assert.equal(cond(crdStatus(crd, [rival], now), 'NamesAccepted').status, 'True');
  });
});

describe('crdToResourceDefs', () => {
  const defs = crdToResourceDefs(widgetCRD());
  test('one def per served version, stored at the storage version', () => {
    assert.deepEqual(defs.map((d) => [d.version, d.storage.version]), [['v1', 'v1'], ['v1beta1', 'v1']]);
  });
  test('names, scope, verbs and flags', () => {
    const d = defs[0];
    assert.deepEqual([d.group, d.resource, d.singular, d.kind, d.listKind, d.namespaced], ['example.io', 'widgets', 'widget', 'Widget', 'WidgetList', true]);
    assert.deepEqual(d.shortNames, ['wd']);
    assert.deepEqual(d.categories, ['all']);
    assert.ok(d.verbs.includes('deletecollection') && d.verbs.includes('watch'));
    assert.equal(d.allowUnconditionalUpdate, false);
    assert.equal(d.strategicMergePatch, false);
  });
  test('subresources come from each version', () => {
    assert.deepEqual(defs[0].subresources, { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } });
    assert.deepEqual(defs[1].subresources, {});
  });
  test('schema is the version schema and the table prints its columns', () => {
    assert.deepEqual(defs[0].schema?.properties?.spec.properties?.replicas, { type: 'integer' });
    assert.deepEqual(defs[0].table?.columns.map((c) => c.name), ['Name', 'Replicas']);
    assert.deepEqual(defs[0].table?.cells({ metadata: { name: 'w' }, spec: { replicas: 3 } }, new Date()), ['w', 3]);
  });
  test('selectable fields become field selectors', () => {
    assert.equal(defs[0].fieldSelectors?.['spec.color']?.({ metadata: {}, spec: { color: 'red' } }), 'red');
    assert.equal(defs[0].fieldSelectors?.['spec.color']?.({ metadata: {}, spec: {} }), undefined);
  });
  test('accepted names win over spec names', () => {
    const crd = widgetCRD((c) => { c.status = { acceptedNames: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' } }; c.spec.names.shortNames = ['new']; });
    assert.equal(crdToResourceDefs(crd)[0].shortNames, undefined);
  });
  test('cluster scope', () => {
    assert.equal(crdToResourceDefs(widgetCRD((c) => { c.spec.scope = 'Cluster'; }))[0].namespaced, false);
  });
});
