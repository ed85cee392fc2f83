// CustomResourceDefinitions: validating and defaulting the CRD, its status, the resources it
// serves, and the structural-schema pipeline (prune, default, validate) for its objects.
export type * from '../../apis/apiextensions/types.js';
export { defaultCRD } from './defaults.js';
export { validateCRD } from './validate.js';
export { crdStatus } from './status.js';
export { crdToResourceDefs } from './resources.js';
export { applyDefaults, prune, validateObject } from './schema.js';
