// Multi-cluster services with ServiceExport/ServiceImport (Karmada pkg/controllers/mcs).

export * from './controller.js';
export * from './collect.js';
export { memberInformers } from './members.js';

export { registerServiceExportController as registerServiceExport, registerEndpointSliceController as registerEndpointSlice, registerServiceImportController as registerServiceImport } from './controller.js';
