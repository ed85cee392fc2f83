// Defaulting of apps/v1 and batch/v1 kinds, as apps/v1 and batch/v1 SetDefaults_* do, plus the Job
// selector that the Job strategy generates on create.
import type { KubeObject } from '../../../apimachinery/types.js';
import { child, isObject, list, setDefault, setDefaultString, type JsonObject } from '../../tables/json.js';
import { defaultPodTemplate } from './podspec.js';

const spec = (o: KubeObject): JsonObject => child(o, 'spec');

export function defaultDeployment(o: KubeObject): void {
  const s = spec(o);
  setDefault(s, 'replicas', 1);
  const strategy = child(s, 'strategy');
  setDefaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(s, 'revisionHistoryLimit', 10);
  setDefault(s, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(s);
}

export function defaultReplicaSet(o: KubeObject): void {
  const s = spec(o);
  setDefault(s, 'replicas', 1);
  defaultPodTemplate(s);
}

export function defaultStatefulSet(o: KubeObject): void {
  const s = spec(o);
  setDefaultString(s, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(s, 'updateStrategy');
  setDefaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') setDefault(child(strategy, 'rollingUpdate'), 'partition', 0);
  setDefault(s, 'replicas', 1);
  setDefault(s, 'revisionHistoryLimit', 10);
  const retention = child(s, 'persistentVolumeClaimRetentionPolicy');
  setDefaultString(retention, 'whenDeleted', 'Retain');
  setDefaultString(retention, 'whenScaled', 'Retain');
  for (const pvc of list(s.volumeClaimTemplates)) {
    if (!isObject(pvc)) continue;
    setDefaultString(child(pvc, 'spec'), 'volumeMode', 'Filesystem');
    setDefaultString(child(pvc, 'status'), 'phase', 'Pending');
  }
  defaultPodTemplate(s);
}

export function defaultDaemonSet(o: KubeObject): void {
  const s = spec(o);
  const strategy = child(s, 'updateStrategy');
  setDefaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(s, 'revisionHistoryLimit', 10);
  defaultPodTemplate(s);
}

export function defaultJob(o: KubeObject): void {
  const s = spec(o);
  if ((s.completions === undefined || s.completions === null) && (s.parallelism === undefined || s.parallelism === null)) {
    s.completions = 1;
    s.parallelism = 1;
  }
  setDefault(s, 'parallelism', 1);
  setDefault(s, 'backoffLimit', isObject(s) && typeof s.backoffLimitPerIndex === 'number' ? 2147483647 : 6);
  setDefaultString(s, 'completionMode', 'NonIndexed');
  setDefault(s, 'suspend', false);
  setDefaultString(s, 'podReplacementPolicy', isObject(s.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplate(s);
  generateJobSelector(o, s);
}

/**
 * The Job strategy's generated selector: unless manualSelector is set, the selector is the Job's uid
 * and the template carries matching labels. It needs metadata.uid, so it applies once the uid exists.
 */
function generateJobSelector(o: KubeObject, s: JsonObject): void {
  const uid = o.metadata.uid;
  if (!uid || s.manualSelector === true || isObject(s.selector)) return;
  s.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const meta = child(child(s, 'template'), 'metadata');
  const labels = child(meta, 'labels');
  const name = o.metadata.name ?? '';
  setDefault(labels, 'batch.kubernetes.io/controller-uid', uid);
  setDefault(labels, 'batch.kubernetes.io/job-name', name);
  setDefault(labels, 'controller-uid', uid);
  setDefault(labels, 'job-name', name);
}

export function defaultCronJob(o: KubeObject): void {
  const s = spec(o);
  setDefaultString(s, 'concurrencyPolicy', 'Allow');
  setDefault(s, 'suspend', false);
  setDefault(s, 'successfulJobsHistoryLimit', 3);
  setDefault(s, 'failedJobsHistoryLimit', 1);
  // only the pod template inside the job template is defaulted, not the JobSpec itself
  defaultPodTemplate(child(child(s, 'jobTemplate'), 'spec'));
}
