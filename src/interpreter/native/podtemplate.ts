// Where each workload kind keeps its pod template, and the pod spec reading shared by the replica
// and dependency interpreters.
import type { KubeObject } from '../../apimachinery/types.js';
import { isObject, objAt, strAt, type JsonObject } from './object.js';

export interface PodTemplate {
  metadata: JsonObject;
  spec: JsonObject;
}

/** The pod template of a workload (the Pod itself for a Pod); undefined for other kinds. */
export function podTemplateOf(obj: KubeObject): PodTemplate | undefined {
  switch (obj.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'Job':
      return templateAt(objAt(obj, 'spec', 'template'));
    case 'CronJob':
      return templateAt(objAt(obj, 'spec', 'jobTemplate', 'spec', 'template'));
    case 'Pod':
      return { metadata: isObject(obj.metadata) ? obj.metadata : {}, spec: objAt(obj, 'spec') };
    default:
      return undefined;
  }
}

function templateAt(template: JsonObject): PodTemplate {
  return { metadata: objAt(template, 'metadata'), spec: objAt(template, 'spec') };
}

export function namespaceOf(obj: KubeObject): string {
  return strAt(obj, 'metadata', 'namespace');
}
