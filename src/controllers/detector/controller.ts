// The resource detector (pkg/detector): watches every propagatable resource of the control plane,
// finds the (Cluster)PropagationPolicy that claims each resource template, marks the template with
// the claim and keeps its (Cluster)ResourceBinding in step with the template and the policy.
// A template without a policy waits; a policy created, changed or deleted re-queues the templates
// it selects or claims.
import { deepCopyJson } from '../../apimachinery/clone.js';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { AnyPropagationPolicy, ClusterPropagationPolicy, PropagationPolicy } from '../../apis/karmada/policy.js';
import { isInterpretationPending } from '../../interpreter/webhook/layer.js';
import { ruleMatches, type ResourceInterpreterWebhookConfiguration } from '../../interpreter/webhook/context.js';
import { gvkOf, InterpreterError, type ResourceInterpreter } from '../../interpreter/types.js';
import { recordInterpretation } from '../interpreter/condition.js';
import { EventReasonGetComponentsFailed, EventReasonGetReplicasFailed, EventReasonGetReplicasSucceed } from '../../interpreter/events.js';
import type { GroupVersionResource, KubeClient } from '../../runtime/client.js';
import { jsonEqual, remember } from '../execution/status.js';
import { newControllerManagedBy, onlyDeletes, type ControllerBuilder, type Predicate } from '../../runtime/builder.js';
import type { Informer } from '../../runtime/informer.js';
import type { ControllerContext } from '../context.js';
import { interpreterFor, messageOf, sameSpec } from '../binding/objects.js';
import { defaultSkippedNamespaces, generateBindingName, isSkippedNamespace } from '../binding/names.js';
import { discoverPropagatableResources, type WatchedResource } from './discovery.js';
import {
  buildBinding,
  EventReasonPreemptPolicyFailed,
  EventReasonPreemptPolicySucceed,
  preemptionMessage,
  interpretComponents,
  schedulePriorityFor,
  workloadAffinityGroupsFor,
  claimOf,
  decidePolicy,
  EventReasonApplyPolicyFailed,
  EventReasonApplyPolicySucceed,
  hasClaim,
  isClaimedBy,
  mergeBinding,
  onlyTemplateVersionMoved,
  onlyClaimAdded,
  policyKindOf,
  policySelects,
  withClaim,
  withoutClaims,
  type Claim,
  type ReplicaInterpretation,
} from './match.js';
import { clusterPropagationPolicyGVR, clusterResourceBindingGVR, propagationPolicyGVR, resourceBindingGVR, resourceInterpreterCustomizationGVR, resourceInterpreterWebhookConfigurationGVR } from '../../apis/karmada/gvr.js';
import { ResourceTemplateClaimedByLabel } from '../../apis/karmada/wellknown.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../apimachinery/errors.js';
import { karmadaMetrics, since, timed } from '../common/metrics.js';
import { customResourceDefinitionGVR, priorityClassGVR } from '../../apis/builtin/gvr.js';

export const ControllerName = 'resource-detector';

export interface DetectorOptions {
  interpreter?: ResourceInterpreter;
  /** --skipped-propagating-namespaces (default kube-.*) */
  skippedNamespaces?: readonly RegExp[];
  /** how often resources are re-discovered (default 30s, as Karmada) */
  discoveryIntervalMs?: number;
  /**
   * Karmada's ResourceQuotaEstimate gate (off by default): replicaRequirements.namespace is the
   * template's namespace whatever interpreter answered
   */
  resourceQuotaEstimate?: boolean;
  /** Karmada's WorkloadAffinity gate (off by default): bindings carry the policy's workload affinity groups */
  workloadAffinity?: boolean;
  /** Karmada's MultiplePodTemplatesScheduling gate (off by default): bindings carry the template's components */
  multiplePodTemplatesScheduling?: boolean;
}


interface Entry {
  res: WatchedResource;
  informer: Informer;
}


function typeKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

/** queue keys: `<apiVersion>|<kind>|<namespace>|<name>` */
function templateKey(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${apiVersion}|${kind}|${namespace ?? ''}|${name}`;
}

// A template queued because a Lazy policy changed (Karmada's ResourceChangeByKarmada key): its own
// key with this prefix, so a user's change queued meanwhile is not folded into it.
const byLazyPolicyPrefix = 'lazy-policy|';

function templateKeyOfBinding(b: KubeObject): string | undefined {
  const r = (b as ResourceBinding).spec?.resource;
  return r && templateKey(r.apiVersion, r.kind, r.namespace, r.name);
}

function parseTemplateKey(key: string): { type: string; namespace?: string; name: string; byLazyPolicy: boolean } {
  const byLazyPolicy = key.startsWith(byLazyPolicyPrefix);
  const [apiVersion, kind, namespace, name] = (byLazyPolicy ? key.slice(byLazyPolicyPrefix.length) : key).split('|');
  return { type: typeKey(apiVersion!, kind!), namespace: namespace || undefined, name: name!, byLazyPolicy };
}

class ResourceDetector {
  private readonly entries = new Map<string, Entry>();
  private readonly builder: ControllerBuilder;
  private readonly pps: Informer;
  private readonly cpps: Informer;
  private readonly interpreter: ResourceInterpreter;
  private readonly skipped: readonly RegExp[];
  private readonly resourceQuotaEstimate: boolean;
  private readonly workloadAffinity: boolean;
  private readonly multiplePodTemplatesScheduling: boolean;
  private discovering?: Promise<void>;
  /**
   * templates as an informer's initial list gave them, not updated since and not reconciled yet: the
   * restart's backlog, whose bindings need no write for the template's resourceVersion alone (below)
   */
  private readonly listed = new Set<string>();

  constructor(private readonly ctx: ControllerContext, opts: DetectorOptions = {}) {
    this.interpreter = interpreterFor(ctx, opts.interpreter);
    this.skipped = opts.skippedNamespaces ?? defaultSkippedNamespaces;
    this.resourceQuotaEstimate = opts.resourceQuotaEstimate ?? false;
    this.workloadAffinity = opts.workloadAffinity ?? false;
    this.multiplePodTemplatesScheduling = opts.multiplePodTemplatesScheduling ?? false;
    this.pps = ctx.manager.informer(ctx.client, propagationPolicyGVR);
    this.cpps = ctx.manager.informer(ctx.client, clusterPropagationPolicyGVR);
    // a relist repeats unchanged policies: only a new generation or new labels can change what they claim
    const policyChanged: Predicate = { update: (obj, old) => obj.metadata.generation !== old.metadata.generation || !isDeepStrictEqual(obj.metadata.labels, old.metadata.labels) };
    const policyTemplates = (p: KubeObject) => this.templatesOfPolicy(p as AnyPropagationPolicy);
    this.builder = newControllerManagedBy(ctx.manager, ControllerName, ctx.client)
      .watches(this.pps, policyTemplates, policyChanged)
      .watches(this.cpps, policyTemplates, policyChanged)
      // a binding deleted while its template lives is built again
      .watches(resourceBindingGVR, templateKeyOfBinding, onlyDeletes)
      .watches(clusterResourceBindingGVR, templateKeyOfBinding, onlyDeletes)
      // a customization changes how its target kind is interpreted: its templates are built again
      // (the interpreter's own handler on this informer, added first, has loaded it already)
      .watches(
        resourceInterpreterCustomizationGVR,
        (ric) => this.templatesOfKind((ric as { spec?: { target?: { apiVersion?: string; kind?: string } } }).spec?.target),
        { update: (obj, old) => obj.metadata.generation !== old.metadata.generation },
      )
      // so does a webhook configuration, for the kinds whose replicas its rules interpret
      .watches(
        resourceInterpreterWebhookConfigurationGVR,
        (config) => this.templatesOfWebhooks(config as ResourceInterpreterWebhookConfiguration),
        { update: (obj, old) => obj.metadata.generation !== old.metadata.generation },
      )
      // Karmada's --concurrent-resource-template-syncs default
      .workers(5)
      .logger(ctx.log);
    this.builder.complete((key) => this.reconcile(key));
  }

  private get client(): KubeClient {
    return this.ctx.client;
  }

  /** discovers resources now, then every interval and whenever CRDs change; stops with ctx.signal */
  async start(intervalMs = 30_000): Promise<void> {
    await this.discover();
    const timer = setInterval(() => void this.discover(), intervalMs);
    timer.unref();
    let pending: NodeJS.Timeout | undefined;
    const soon = () => {
      if (pending) clearTimeout(pending);
      pending = setTimeout(() => void this.discover(), 1000);
      pending.unref();
    };
    this.ctx.manager.informer(this.client, customResourceDefinitionGVR).addHandlers({ onAdd: soon, onUpdate: soon, onDelete: soon });
    this.ctx.signal.addEventListener('abort', () => {
      clearInterval(timer);
      if (pending) clearTimeout(pending);
    }, { once: true });
  }

  discover(): Promise<void> {
    this.discovering ??= this.discoverOnce().finally(() => (this.discovering = undefined));
    return this.discovering;
  }

  private async discoverOnce(): Promise<void> {
    let found: WatchedResource[];
    try {
      this.client.invalidateDiscovery();
      found = await discoverPropagatableResources(this.client);
    } catch (err) {
      this.ctx.log.error({ err }, 'resource discovery failed');
      return;
    }
    for (const res of found) {
      const type = typeKey(res.apiVersion, res.kind);
      if (this.entries.has(type)) continue;
      const gvr: GroupVersionResource = { group: res.group, version: res.version, resource: res.resource };
      const informer = this.ctx.manager.informer(this.client, gvr);
      this.entries.set(type, { res, informer });
      const keyOf = (obj: KubeObject) => templateKey(res.apiVersion, res.kind, obj.metadata.namespace, obj.metadata.name!);
      informer.addHandlers({
        // only what the watch below queues: a key the detector never reconciles would stay here
        onAdd: (obj, initial) => void (initial && !isSkippedNamespace(obj.metadata.namespace, this.skipped) && this.listed.add(keyOf(obj))),
        // a status write keeps it (the detector ignores those); a change to anything else is no backlog
        onUpdate: (obj, old) => void (this.listed.size > 0 && !sameSpec(obj, old) && this.listed.delete(keyOf(obj))),
        onDelete: (obj) => void this.listed.delete(keyOf(obj)),
      });
      this.builder.watches(informer, (obj) => templateKey(res.apiVersion, res.kind, obj.metadata.namespace, obj.metadata.name!), {
        filter: (obj) => !isSkippedNamespace(obj.metadata.namespace, this.skipped),
        update: (obj, old) => !sameSpec(obj, old) && !onlyClaimAdded(obj, old),
      });
    }
  }

  /** template keys a policy change concerns: those it selects and those it claims */
  /** the templates of one kind, when the detector watches it */
  private templatesOfKind(target: { apiVersion?: string; kind?: string } | undefined): string[] {
    const entry = target?.apiVersion && target.kind ? this.entries.get(typeKey(target.apiVersion, target.kind)) : undefined;
    if (!entry) return [];
    return entry.informer.list().map((obj) => templateKey(entry.res.apiVersion, entry.res.kind, obj.metadata.namespace, obj.metadata.name!));
  }

  private templatesOfWebhooks(config: ResourceInterpreterWebhookConfiguration): string[] {
    const rules = (config.webhooks ?? []).flatMap((w) => w.rules ?? []);
    const keys: string[] = [];
    for (const entry of this.entries.values()) {
      const gvk = gvkOf({ apiVersion: entry.res.apiVersion, kind: entry.res.kind });
      if (!rules.some((r) => ruleMatches(r, gvk, 'InterpretReplica') || ruleMatches(r, gvk, 'InterpretComponent'))) continue;
      keys.push(...this.templatesOfKind(entry.res));
    }
    return keys;
  }

  private templatesOfPolicy(policy: AnyPropagationPolicy): string[] {
    const keys = this.templateKeysOfPolicy(policy);
    return policy.spec?.activationPreference === 'Lazy' ? keys.map((k) => byLazyPolicyPrefix + k) : keys;
  }

  private templateKeysOfPolicy(policy: AnyPropagationPolicy): string[] {
    const keys: string[] = [];
    const types = new Set((policy.spec?.resourceSelectors ?? []).map((rs) => typeKey(rs.apiVersion, rs.kind)));
    for (const type of types) {
      const entry = this.entries.get(type);
      if (!entry) continue;
      const ns = policyKindOf(policy) === 'PropagationPolicy' ? policy.metadata.namespace : undefined;
      for (const obj of entry.informer.list()) {
        if (ns !== undefined && obj.metadata.namespace !== ns) continue;
        if (policySelects(policy, obj) || isClaimedBy(claimOf(obj), policy)) keys.push(templateKey(entry.res.apiVersion, entry.res.kind, obj.metadata.namespace, obj.metadata.name!));
      }
    }
    // templates claimed by the policy whose kind the policy no longer selects
    for (const entry of this.entries.values()) {
      if (types.has(typeKey(entry.res.apiVersion, entry.res.kind))) continue;
      for (const obj of entry.informer.list()) {
        if (isClaimedBy(claimOf(obj), policy)) keys.push(templateKey(entry.res.apiVersion, entry.res.kind, obj.metadata.namespace, obj.metadata.name!));
      }
    }
    return keys;
  }

  async reconcile(key: string): Promise<void> {
    const { type, namespace, name, byLazyPolicy } = parseTemplateKey(key);
    const fromInitialList = this.listed.delete(key);
    const entry = this.entries.get(type);
    if (!entry) return;
    const cached = entry.informer.get(namespace ? `${namespace}/${name}` : name);
    if (!cached || cached.metadata.deletionTimestamp) return;
    if (cached.metadata.labels?.[ResourceTemplateClaimedByLabel]) return;
    const obj: KubeObject = { apiVersion: entry.res.apiVersion, kind: entry.res.kind, ...deepCopyJson(cached) };
    const metrics = karmadaMetrics(this.ctx.manager.registry);
    const matchStart = performance.now();
    const decision = decidePolicy(obj, this.pps.list() as PropagationPolicy[], this.cpps.list() as ClusterPropagationPolicy[]);
    metrics.matchPolicyDuration.observe(since(matchStart));
    if (decision.releaseClaim && !decision.policy) {
      await this.release(obj, claimOf(obj)!);
      return;
    }
    if (decision.policy) await timed(metrics.applyPolicyDuration, () => this.applyPolicy(obj, decision.policy!, decision.preempted, byLazyPolicy, fromInitialList), metrics.policyApplyAttempts);
  }

  private describePolicy(policy: AnyPropagationPolicy): string {
    return policyKindOf(policy) === 'PropagationPolicy' ? `policy(${policy.metadata.namespace}/${policy.metadata.name})` : `cluster policy(${policy.metadata.name})`;
  }

  private async applyPolicy(obj: KubeObject, policy: AnyPropagationPolicy, preempted?: Claim, byLazyPolicy = false, fromInitialList = false): Promise<void> {
    try {
      let template = obj;
      if (!hasClaim(template.metadata, policy)) {
        try {
          template = { ...(await this.client.replace({ ...template, metadata: withClaim(template.metadata, policy) }, { shareAnswer: true })) };
          // the binding made next names this version: the binding controller finds it here before its informer has it
          remember(this.client, template);
        } catch (err) {
          if (preempted) this.ctx.events.record(obj, 'Warning', EventReasonPreemptPolicyFailed, preemptionMessage(policy, preempted, messageOf(err)));
          throw err;
        }
        template.apiVersion ??= obj.apiVersion;
        template.kind ??= obj.kind;
        if (preempted) this.ctx.events.record(template, 'Normal', EventReasonPreemptPolicySucceed, preemptionMessage(policy, preempted));
      }
      // Lazy activation: a change of the policy reaches the binding only with the template's next change.
      if (byLazyPolicy && policy.spec?.activationPreference === 'Lazy') return;
      if (this.multiplePodTemplatesScheduling) await this.interpreter.prefetch?.({ operation: 'InterpretComponent', object: template });
      await this.interpreter.prefetch?.({ operation: 'InterpretReplica', object: template });
      const bindingRef = { name: generateBindingName(template.kind ?? '', template.metadata.name ?? ''), namespace: template.metadata.namespace };
      let interpreted: ReplicaInterpretation;
      try {
        interpreted = this.interpretReplicas(template);
      } catch (err) {
        if (!isInterpretationPending(err)) {
          const reasons = err instanceof InterpreterError && err.operation === 'InterpretComponent' ? [EventReasonGetComponentsFailed] : [EventReasonGetReplicasFailed];
          await recordInterpretation(this.client, bindingRef, reasons, messageOf(err)).catch(() => undefined);
        }
        throw err;
      }
      const schedulePriority = await schedulePriorityFor(policy, (name) => this.priorityClassValue(name));
      const groups = this.workloadAffinity ? workloadAffinityGroupsFor(template, policy) : undefined;
      const desired = buildBinding(template, policy, { ...interpreted, ...(schedulePriority ? { schedulePriority } : {}), ...(groups ? { workloadAffinityGroups: groups } : {}) });
      const changed = await this.createOrUpdateBinding(desired, template, policy, fromInitialList && template === obj);
      if (changed) this.ctx.events.record(template, 'Normal', EventReasonApplyPolicySucceed, `Apply ${this.describePolicy(policy)} succeed`);
    } catch (err) {
      this.ctx.events.record(obj, 'Warning', EventReasonApplyPolicyFailed, `Apply ${this.describePolicy(policy)} failed: ${messageOf(err)}`);
      throw err;
    }
  }

  /**
   * GetComponents when the gate is on and the kind has a componentResource rule, GetReplicas
   * otherwise, with Karmada's events on the template; a failure leaves the binding as it was
   */
  private interpretReplicas(template: KubeObject): ReplicaInterpretation {
    if (this.multiplePodTemplatesScheduling) {
      const components = interpretComponents(this.interpreter, template, (t, type, reason, message) => this.ctx.events.record(t, type, reason, message));
      if (components) return { components };
    }
    if (!this.interpreter.hookEnabled(gvkOf(template), 'InterpretReplica')) return {};
    const id = `${template.kind}/${template.metadata.namespace ?? ''}/${template.metadata.name}`;
    let interpreted: ReturnType<ResourceInterpreter['getReplicas']>;
    try {
      interpreted = this.interpreter.getReplicas(template);
    } catch (err) {
      if (!isInterpretationPending(err)) this.ctx.events.record(template, 'Warning', EventReasonGetReplicasFailed, `Get replicas of object(${id}) failed, err: ${messageOf(err)}.`);
      throw err;
    }
    const { replicas, requirements } = interpreted;
    this.ctx.events.record(template, 'Normal', EventReasonGetReplicasSucceed, `Get replicas of object(${id}) succeed, replicas: ${replicas}.`);
    if (this.resourceQuotaEstimate && requirements && !requirements.namespace && template.metadata.namespace) {
      return { replicas, replicaRequirements: { ...requirements, namespace: template.metadata.namespace } };
    }
    return { replicas, replicaRequirements: requirements };
  }

  private async priorityClassValue(name: string): Promise<number> {
    const pc = await this.client.get<KubeObject & { value?: number }>(priorityClassGVR, name);
    return pc.value ?? 0;
  }

  /**
   * create or update; false when the binding was already as desired. An Interpreted condition our
   * failure set is cleared first: the spec change that follows brings the scheduler, whose status
   * patch then starts from a binding that holds the cleared condition.
   */
  private async createOrUpdateBinding(desired: ResourceBinding, template: KubeObject, policy: AnyPropagationPolicy, fromInitialList: boolean): Promise<boolean> {
    const gvr = desired.metadata.namespace ? resourceBindingGVR : clusterResourceBindingGVR;
    const { name, namespace } = desired.metadata;
    // read from the informer's cache, as Karmada's controller-runtime client does; the API only when
    // the cache is behind (the create says it exists, the update says it changed)
    let existing = this.ctx.manager.informer(this.ctx.client, gvr).get(namespace ? `${namespace}/${name}` : name!) as ResourceBinding | undefined;
    if (!existing) {
      try {
        await this.client.create(desired, { namespace, shareAnswer: true });
        return true;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        existing = await this.client.get<ResourceBinding>(gvr, name!, { namespace });
      }
    }
    try {
      return await this.updateBinding(existing, desired, template, policy, fromInitialList);
    } catch (err) {
      if (!isConflict(err)) throw err;
      return this.updateBinding(await this.client.get<ResourceBinding>(gvr, name!, { namespace }), desired, template, policy, fromInitialList);
    }
  }

  /**
   * `fromInitialList`: the template came with the informer's first list (a restart's backlog). Its
   * binding is then not written when the template's resourceVersion is all that moved (status writes
   * since the binding was, which the detector ignores while it runs): the binding controller renders
   * every binding from the template as it is now on its own first pass, so the write would only make
   * the scheduler, the binding and binding status controllers go over each binding a second time.
   */
  private async updateBinding(existing: ResourceBinding, desired: ResourceBinding, template: KubeObject, policy: AnyPropagationPolicy, fromInitialList: boolean): Promise<boolean> {
    const owner = existing.metadata.ownerReferences?.find((r) => r.controller);
    if (owner && owner.uid !== template.metadata.uid) {
      throw new Error('failed to update binding due to different owner reference UID, will try again later after binding is garbage collected, see https://github.com/karmada-io/karmada/issues/2090');
    }
    const reasons = [EventReasonGetReplicasFailed, EventReasonGetComponentsFailed];
    existing = (await recordInterpretation(this.client, { name: desired.metadata.name!, namespace: desired.metadata.namespace, known: existing }, reasons).catch(() => undefined)) ?? existing;
    const merged = mergeBinding(existing, desired, policy);
    if (jsonEqual(merged, existing)) return false;
    if (fromInitialList && onlyTemplateVersionMoved(merged, existing)) return false;
    await this.client.replace(merged);
    return true;
  }

  /**
   * The claiming policy is gone or no longer selects the template: remove the claim from the
   * binding (so the scheduler leaves it alone) and then from the template. The binding itself stays
   * until the template goes, as in Karmada.
   */
  private async release(obj: KubeObject, claim: Claim): Promise<void> {
    const gvr = obj.metadata.namespace ? resourceBindingGVR : clusterResourceBindingGVR;
    const name = generateBindingName(obj.kind ?? '', obj.metadata.name ?? '');
    try {
      const rb = await this.client.get<ResourceBinding>(gvr, name, { namespace: obj.metadata.namespace });
      const cleaned = { ...rb, metadata: withoutClaims(rb.metadata, [claim.kind]) };
      if (!isDeepStrictEqual(cleaned, rb)) await this.client.replace(cleaned);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await this.client.replace({ ...obj, metadata: withoutClaims(obj.metadata, [claim.kind]) });
  }
}

/** creates the detector and runs its first discovery */
export async function startDetector(ctx: ControllerContext, opts: DetectorOptions = {}): Promise<ResourceDetector> {
  const detector = new ResourceDetector(ctx, opts);
  await detector.start(opts.discoveryIntervalMs);
  return detector;
}
