// The HPA's normalisation of a desired replica count as pure functions over explicit history:
// stabilisation windows, min/max, the default scale-up limit, and autoscaling/v2 `behavior` policies
// (Kubernetes' podautoscaler/horizontal.go normalizeDesiredReplicas[WithBehaviors], lifted by
// Karmada's FederatedHPA controller).

interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: ScalingPolicy[];
}

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

interface Recommendation {
  at: number;
  replicas: number;
}

interface ScaleEvent {
  at: number;
  change: number;
  outdated?: boolean;
}

/** what the controller remembers per HPA between syncs */
export interface ScaleHistory {
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

export const emptyHistory = (): ScaleHistory => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });

export interface Condition {
  type: 'AbleToScale' | 'ScalingLimited';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** the autoscaling/v2 defaults (GenerateHPAScaleUpRules / GenerateHPAScaleDownRules) */
export function defaultScaleUp(r?: ScalingRules): Required<ScalingRules> {
  return { stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? 0, selectPolicy: r?.selectPolicy ?? 'Max', policies: r?.policies ?? [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
}

export function defaultScaleDown(r: ScalingRules | undefined, downscaleStabilizationSeconds: number): Required<ScalingRules> {
  return { stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? downscaleStabilizationSeconds, selectPolicy: r?.selectPolicy ?? 'Max', policies: r?.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

interface NormalizeInput {
  now: number;
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  behavior?: Behavior;
  /** --horizontal-pod-autoscaler-downscale-stabilization (default 300 s) */
  downscaleStabilizationSeconds: number;
}

interface NormalizeResult {
  replicas: number;
  conditions: Condition[];
  /** the history to keep (the recommendation of this sync recorded) */
  history: ScaleHistory;
}

const readyForNewScale = (): Condition => ({ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
const stabilized = (): Condition => ({ type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
const withinRange = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };

function record(recs: Recommendation[], rec: Recommendation, obsoleteBefore: number): Recommendation[] {
  const i = recs.findIndex((r) => r.at < obsoleteBefore);
  return i >= 0 ? recs.map((r, j) => (j === i ? rec : r)) : [...recs, rec];
}

function limited(replicas: number, stabilizedTo: number, limit: { reason: string; message: string }): Condition {
  return { type: 'ScalingLimited', status: replicas === stabilizedTo ? 'False' : 'True', reason: limit.reason, message: limit.message };
}

/** normalizeDesiredReplicas (no behavior): downscale window, scale-up limit max(2×current, 4), min/max */
function withoutBehavior(input: NormalizeInput, h: ScaleHistory): NormalizeResult {
  const cutoff = input.now - input.downscaleStabilizationSeconds * 1000;
  let max = input.desiredReplicas;
  for (const r of h.recommendations) if (r.at >= cutoff && r.replicas > max) max = r.replicas;
  const history = { ...h, recommendations: record(h.recommendations, { at: input.now, replicas: input.desiredReplicas }, cutoff) };
  const ableToScale = max !== input.desiredReplicas ? stabilized() : readyForNewScale();
  const scaleUpLimit = Math.max(2 * input.currentReplicas, 4);
  let maximum = input.maxReplicas;
  let limit = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  if (input.maxReplicas > scaleUpLimit) {
    maximum = scaleUpLimit;
    limit = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
  }
  let replicas = max;
  if (max < input.minReplicas) {
    limit = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    replicas = input.minReplicas;
  } else if (max > maximum) replicas = maximum;
  else limit = withinRange;
  return { replicas, conditions: [ableToScale, limited(replicas, max, limit)], history };
}

const changeInPeriod = (events: ScaleEvent[], periodSeconds: number, now: number) => events.filter((e) => e.at > now - periodSeconds * 1000).reduce((s, e) => s + e.change, 0);

/** calculateScaleUpLimitWithScalingRules */
function scaleUpLimit(current: number, h: ScaleHistory, rules: Required<ScalingRules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(h.scaleUpEvents, p.periodSeconds, now) + changeInPeriod(h.scaleDownEvents, p.periodSeconds, now);
    result = pick(result, p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100)));
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors */
function scaleDownLimit(current: number, h: ScaleHistory, rules: Required<ScalingRules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(h.scaleUpEvents, p.periodSeconds, now) + changeInPeriod(h.scaleDownEvents, p.periodSeconds, now);
    result = pick(result, p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100)));
  }
  return result;
}

/** normalizeDesiredReplicasWithBehaviors */
function withBehavior(input: NormalizeInput, h: ScaleHistory): NormalizeResult {
  const up = defaultScaleUp(input.behavior?.scaleUp);
  const down = defaultScaleDown(input.behavior?.scaleDown, input.downscaleStabilizationSeconds);
  const now = input.now;
  const upCutoff = now - up.stabilizationWindowSeconds * 1000;
  const downCutoff = now - down.stabilizationWindowSeconds * 1000;
  const obsolete = now - Math.max(up.stabilizationWindowSeconds, down.stabilizationWindowSeconds) * 1000;
  let upRec = input.desiredReplicas;
  let downRec = input.desiredReplicas;
  for (const r of h.recommendations) {
    if (r.at > upCutoff) upRec = Math.min(r.replicas, upRec);
    if (r.at > downCutoff) downRec = Math.max(r.replicas, downRec);
  }
  const stabilizedTo = Math.min(Math.max(input.currentReplicas, upRec), downRec);
  const history = { ...h, recommendations: record(h.recommendations, { at: now, replicas: input.desiredReplicas }, obsolete) };
  const ableToScale = stabilizedTo !== input.desiredReplicas ? stabilized() : readyForNewScale();
  let replicas = stabilizedTo;
  let limit = withinRange;
  if (stabilizedTo > input.currentReplicas) {
    const upLimit = Math.max(scaleUpLimit(input.currentReplicas, h, up, now), input.currentReplicas);
    let maximum = input.maxReplicas;
    let l = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    if (maximum > upLimit) {
      maximum = upLimit;
      l = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
    }
    if (stabilizedTo > maximum) [replicas, limit] = [maximum, l];
  } else if (stabilizedTo < input.currentReplicas) {
    const downLimit = Math.min(scaleDownLimit(input.currentReplicas, h, down, now), input.currentReplicas);
    let minimum = input.minReplicas;
    let l = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    if (minimum < downLimit) {
      minimum = downLimit;
      l = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };
    }
    if (stabilizedTo < minimum) [replicas, limit] = [minimum, l];
  }
  return { replicas, conditions: [ableToScale, limited(replicas, stabilizedTo, limit)], history };
}

export function normalizeReplicas(input: NormalizeInput, h: ScaleHistory): NormalizeResult {
  return input.behavior ? withBehavior(input, h) : withoutBehavior(input, h);
}

/** storeScaleEvent: only kept with a behavior; events older than the longest policy period are reused */
export function storeScaleEvent(h: ScaleHistory, behavior: Behavior | undefined, prev: number, next: number, now: number, downscaleStabilizationSeconds: number): ScaleHistory {
  if (!behavior || prev === next) return h;
  const upward = next > prev;
  const rules = upward ? defaultScaleUp(behavior.scaleUp) : defaultScaleDown(behavior.scaleDown, downscaleStabilizationSeconds);
  const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds));
  const events = (upward ? h.scaleUpEvents : h.scaleDownEvents).map((e) => ({ ...e, outdated: e.outdated || e.at <= now - longest * 1000 }));
  const event = { at: now, change: Math.abs(next - prev) };
  const i = events.findIndex((e) => e.outdated);
  const kept = i >= 0 ? events.map((e, j) => (j === i ? event : e)) : [...events, event];
  return upward ? { ...h, scaleUpEvents: kept } : { ...h, scaleDownEvents: kept };
}
