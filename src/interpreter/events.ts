// The event reasons of interpretations, as Karmada names them (pkg/events): GetReplicas,
// GetComponents and GetDependencies on the resource template; ReflectStatus and InterpretHealth on
// the Work; AggregateStatus on the binding and the template.
export const EventReasonGetReplicasSucceed = 'GetReplicasSucceed';
export const EventReasonGetReplicasFailed = 'GetReplicasFailed';
export const EventReasonGetComponentsSucceed = 'GetComponentsSucceed';
export const EventReasonGetComponentsFailed = 'GetComponentsFailed';
export const EventReasonGetDependenciesSucceed = 'GetDependenciesSucceed';
export const EventReasonGetDependenciesFailed = 'GetDependenciesFailed';
export const EventReasonReflectStatusSucceed = 'ReflectStatusSucceed';
export const EventReasonReflectStatusFailed = 'ReflectStatusFailed';
export const EventReasonInterpretHealthSucceed = 'InterpretHealthSucceed';
export const EventReasonInterpretHealthFailed = 'InterpretHealthFailed';
export const EventReasonAggregateStatusSucceed = 'AggregateStatusSucceed';
export const EventReasonAggregateStatusFailed = 'AggregateStatusFailed';
