// Remedy (remedy.karmada.io): actions on clusters in a given state.
export { registerRemedyController as register, RemedyControllerName } from './controller.js';
export * from './actions.js';
