// The resource interpreter's public API.
export * from './types.js';
export { createDefaultInterpreter, DefaultInterpreter, layerOrder, retainClusterFields, type DefaultInterpreterOptions, type LayerName } from './default.js';
export { createNativeInterpreter, nativeHookEnabled, type NativeOptions } from './native/index.js';
export { retainMemberMetadata } from './native/retain.js';
export { podRequests, replicaRequirements } from './native/replicas.js';
export { podDependencies } from './native/dependencies.js';
export {
  LuaCustomizationLayer,
  customizationRules,
  type CustomizationField,
  type CustomizationProblem,
  type ResourceInterpreterCustomization,
} from './lua/customization.js';
export { LuaVM, LuaScriptError, defaultInstructionBudget } from './lua/vm.js';
export * from './events.js';
export { createThirdPartyLayer, thirdPartyCustomizations } from './thirdparty/index.js';
export { WebhookInterpreterLayer, InterpretationPending, isInterpretationPending, type WebhookLayerOptions } from './webhook/layer.js';
export * from './webhook/context.js';
export { postContext, webhookURL, type ServiceResolver } from './webhook/call.js';
