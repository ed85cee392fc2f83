// MultiClusterService (Karmada pkg/controllers/multiclusterservice), behind the MultiClusterService feature gate.
import type { ControllerContext } from '../context.js';
import { registerEndpointSliceCollectController, registerEndpointSliceDispatchController, registerMCSController } from './controller.js';

export * from './controller.js';
export * from './render.js';

const gated = (register: (ctx: ControllerContext) => void) => (ctx: ControllerContext) => {
  if (ctx.features?.MultiClusterService === false) return;
  register(ctx);
};
export const registerMultiClusterService = gated(registerMCSController);
export const registerEndpointSliceCollect = gated(registerEndpointSliceCollectController);
export const registerEndpointSliceDispatch = gated(registerEndpointSliceDispatchController);
