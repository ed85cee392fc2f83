// What the binding and namespace controllers use from the override engine (admission checks for policies live in apis/karmada/admission/override.ts).
export { applyOverrides, policyAffectsResource, describeFailure, EventReasonApplyOverridePolicyFailed, EventReasonApplyOverridePolicySucceed } from './apply.js';
export type { ApplyOverridesInput, ApplyOverridesResult, OverrideFailure } from './apply.js';
export { appliedOverridesAnnotations, marshalAppliedOverrides, parseAppliedOverrides } from './applied.js';
export type { AppliedOverrideItem, AppliedOverrideRecord } from './applied.js';
export { orderPolicies, policyPriority, policySelectsResource, resourceSelectorPriority, ImplicitPriority } from './order.js';
