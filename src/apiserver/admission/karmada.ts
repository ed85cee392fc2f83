// Karmada's admission webhooks (karmada-webhook) as in-process admission plugins; the per-kind rules live in apis/karmada/admission.
// permanent-id labels, and deletion protection for any resource.
import { randomUUID } from 'node:crypto';
import { errors, type FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { AdmissionPlugin, AdmissionRequest } from '../rest/admission.js';
import { defaultOverridePolicy, validateOverridePolicy } from '../../apis/karmada/admission/override.js';
import { ClusterResourceBindingPermanentIDLabel, DeletionProtectionAlways, DeletionProtectionLabel, ResourceBindingPermanentIDLabel, WorkPermanentIDLabel } from '../../apis/karmada/work.js';
import { mutateFederatedHPA, validateCronFederatedHPA, validateFederatedHPA } from '../../apis/karmada/admission/autoscaling.js';
import { mutateCluster, validateCluster } from '../../apis/karmada/admission/cluster.js';
import { validateInterpreterCustomizationScripts, validateInterpreterWebhookConfiguration } from '../../apis/karmada/admission/interpreter.js';
import { MultiClusterServicePermanentIDLabel, validateMultiClusterService } from '../../apis/karmada/admission/networking.js';
import { ensurePermanentId, mutatePropagationPolicy, normalizePurgeModes, spreadConstraintWarnings, validatePropagationPolicy } from '../../apis/karmada/admission/propagation.js';
import { validateFederatedResourceQuota } from '../../apis/karmada/admission/quota.js';
import { validateClusterTaintPolicy } from '../../apis/karmada/admission/taintpolicy.js';

export interface KarmadaAdmissionOptions {
  /** karmada-webhook --allow-no-execute-taint-policy */
  allowNoExecuteTaintPolicy?: boolean;
  /** generator of permanent ids (tests pin it) */
  newId?: () => string;
}

interface KindRules {
  mutate?(obj: KubeObject, req: AdmissionRequest): void;
  validate?(obj: KubeObject, req: AdmissionRequest): FieldError[] | Promise<FieldError[]>;
}

/** A plugin for one resource's main endpoint, on create and update. */
function forResource(group: string, resource: string, rules: KindRules): AdmissionPlugin {
  const applies = (req: AdmissionRequest) => req.def.group === group && req.def.resource === resource && !req.subresource && req.operation !== 'DELETE';
  const plugin: AdmissionPlugin = { name: `karmada:${resource}.${group}` };
  if (rules.mutate) {
    const mutate = rules.mutate;
    plugin.mutate = (req) => {
      if (applies(req)) mutate(req.obj, req);
    };
  }
  if (rules.validate) {
    const validate = rules.validate;
    plugin.validate = (req) => (applies(req) ? validate(req.obj, req) : undefined);
  }
  return plugin;
}

/** Denies DELETE of anything labelled resourcetemplate.karmada.io/deletion-protected=Always. */
function deletionProtection(): AdmissionPlugin {
  return {
    name: 'karmada:resourcedeletionprotection',
    mutate(req) {
      if (req.operation !== 'DELETE' || req.subresource) return;
      if (req.obj.metadata.labels?.[DeletionProtectionLabel] !== DeletionProtectionAlways) return;
      throw errors.forbidden(
        { group: req.def.group, resource: req.def.resource },
        req.obj.metadata.name ?? '',
        `This resource is protected, please make sure to remove the label: ${DeletionProtectionLabel}`,
      );
    },
  };
}

export function karmadaAdmission(opts: KarmadaAdmissionOptions = {}): AdmissionPlugin[] {
  const newId = opts.newId ?? randomUUID;
  const permanentId = (label: string): KindRules['mutate'] => (obj, req) => ensurePermanentId(obj, label, req.old, newId);
  const overridePolicy: KindRules = {
    mutate(obj) {
      obj.spec = defaultOverridePolicy(obj).spec;
    },
    validate: (obj) => validateOverridePolicy(obj),
  };
  const propagationPolicy: KindRules = {
    mutate: (obj, req) => {
      (req.ctx.warnings ??= []).push(...normalizePurgeModes(obj.spec));
      mutatePropagationPolicy(obj, req.old, newId);
      req.ctx.warnings.push(...spreadConstraintWarnings(obj.spec));
    },
    validate: (obj, req) => validatePropagationPolicy(obj, req.old),
  };
  return [
    deletionProtection(),
    forResource('policy.karmada.io', 'propagationpolicies', propagationPolicy),
    forResource('policy.karmada.io', 'clusterpropagationpolicies', propagationPolicy),
    forResource('policy.karmada.io', 'overridepolicies', overridePolicy),
    forResource('policy.karmada.io', 'clusteroverridepolicies', overridePolicy),
    forResource('policy.karmada.io', 'clustertaintpolicies', { validate: (obj) => validateClusterTaintPolicy(obj, opts.allowNoExecuteTaintPolicy ?? false) }),
    forResource('policy.karmada.io', 'federatedresourcequotas', { validate: validateFederatedResourceQuota }),
    forResource('cluster.karmada.io', 'clusters', { mutate: mutateCluster, validate: (obj, req) => validateCluster(obj, req.old) }),
    forResource('work.karmada.io', 'resourcebindings', { mutate: permanentId(ResourceBindingPermanentIDLabel) }),
    forResource('work.karmada.io', 'clusterresourcebindings', { mutate: permanentId(ClusterResourceBindingPermanentIDLabel) }),
    forResource('work.karmada.io', 'works', { mutate: permanentId(WorkPermanentIDLabel) }),
    forResource('autoscaling.karmada.io', 'federatedhpas', { mutate: mutateFederatedHPA, validate: validateFederatedHPA }),
    forResource('autoscaling.karmada.io', 'cronfederatedhpas', { validate: validateCronFederatedHPA }),
    forResource('config.karmada.io', 'resourceinterpretercustomizations', { validate: validateInterpreterCustomizationScripts }),
    forResource('config.karmada.io', 'resourceinterpreterwebhookconfigurations', { validate: validateInterpreterWebhookConfiguration }),
    forResource('networking.karmada.io', 'multiclusterservices', { mutate: permanentId(MultiClusterServicePermanentIDLabel), validate: validateMultiClusterService }),
  ];
}
