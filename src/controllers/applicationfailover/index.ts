// The application failover controllers: what the controller manager registers. The controller, its builder
// chain and its reconcile, is controller.ts; pure logic sits beside it with its tests.
export * from './controller.js';
export { registerApplicationFailoverController as register } from './controller.js';
