// Field selector fields kube-apiserver supports per kind (beyond metadata.name and metadata.namespace),
// each read from the object as the registry's GetAttrs/ToSelectableFields does.
import type { KubeObject } from '../../apimachinery/types.js';
import { at, int, isObject, str } from '../tables/json.js';

type FieldReaders = Record<string, (o: KubeObject) => string | undefined>;

const text = (...path: string[]) => (o: KubeObject): string => str(at(o, ...path));

export const podFields: FieldReaders = {
  'spec.nodeName': text('spec', 'nodeName'),
  'spec.restartPolicy': text('spec', 'restartPolicy'),
  'spec.schedulerName': text('spec', 'schedulerName'),
  'spec.serviceAccountName': text('spec', 'serviceAccountName'),
  'spec.hostNetwork': (o) => String(at(o, 'spec', 'hostNetwork') === true),
  'status.phase': text('status', 'phase'),
  // podIPs[0] is the primary IP; older objects only carry podIP
  'status.podIP': (o) => str(at(o, 'status', 'podIPs', 0, 'ip')) || str(at(o, 'status', 'podIP')),
  'status.nominatedNodeName': text('status', 'nominatedNodeName'),
};

/** Events in either shape: core/v1 (involvedObject, source) or events.k8s.io/v1 (regarding, deprecatedSource). */
function involved(o: KubeObject): unknown {
  return isObject(o.involvedObject) ? o.involvedObject : o.regarding;
}

export const eventFields: FieldReaders = {
  'involvedObject.kind': (o) => str(at(involved(o), 'kind')),
  'involvedObject.namespace': (o) => str(at(involved(o), 'namespace')),
  'involvedObject.name': (o) => str(at(involved(o), 'name')),
  'involvedObject.uid': (o) => str(at(involved(o), 'uid')),
  'involvedObject.apiVersion': (o) => str(at(involved(o), 'apiVersion')),
  'involvedObject.resourceVersion': (o) => str(at(involved(o), 'resourceVersion')),
  'involvedObject.fieldPath': (o) => str(at(involved(o), 'fieldPath')),
  reason: text('reason'),
  reportingComponent: (o) => str(o.reportingComponent) || str(o.reportingController),
  source: (o) => str(at(o, 'source', 'component')) || str(at(o, 'deprecatedSource', 'component')) || str(o.reportingComponent) || str(o.reportingController),
  type: text('type'),
};

/** events.k8s.io/v1 also accepts its own field names. */
export const eventsV1Fields: FieldReaders = {
  ...eventFields,
  'regarding.kind': eventFields['involvedObject.kind']!,
  'regarding.namespace': eventFields['involvedObject.namespace']!,
  'regarding.name': eventFields['involvedObject.name']!,
  'regarding.uid': eventFields['involvedObject.uid']!,
  'regarding.apiVersion': eventFields['involvedObject.apiVersion']!,
  'regarding.resourceVersion': eventFields['involvedObject.resourceVersion']!,
  'regarding.fieldPath': eventFields['involvedObject.fieldPath']!,
  reportingController: eventFields.reportingComponent!,
};

export const secretFields: FieldReaders = { type: text('type') };
export const namespaceFields: FieldReaders = { 'status.phase': text('status', 'phase') };
export const nodeFields: FieldReaders = { 'spec.unschedulable': (o) => String(at(o, 'spec', 'unschedulable') === true) };
export const replicaSetFields: FieldReaders = { 'status.replicas': (o) => String(int(at(o, 'status', 'replicas'))) };
export const jobFields: FieldReaders = { 'status.successful': (o) => String(int(at(o, 'status', 'succeeded'))) };
