// What the binding controller and the API server use from the override engine.
export { applyOverrides, policyAffectsResource, describeFailure, EventReasonApplyOverridePolicyFailed, EventReasonApplyOverridePolicySucceed } from './apply.js';
export type { ApplyOverridesInput, ApplyOverridesResult, OverrideFailure } from './apply.js';
export { appliedOverridesAnnotations, marshalAppliedOverrides, parseAppliedOverrides } from './applied.js';
export type { AppliedOverrideItem, AppliedOverrideRecord } from './applied.js';
export { orderPolicies, policyPriority, policySelectsResource, resourceSelectorPriority, ImplicitPriority } from './order.js';
export { validateOverridePolicy, validateOverriders, validateClusterAffinity, defaultOverridePolicy } from './validate.js';
