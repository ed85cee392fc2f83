// Work status: member object status and health -> Work.status.manifestStatuses (see controller.ts).
import type { ControllerContext } from '../context.js';
import { interpreterOf, type InterpreterOption } from '../execution/index.js';
import { registerWorkStatusController } from './controller.js';

export { registerWorkStatusController, WorkStatusControllerName } from './controller.js';
export { manifestStatuses, identifierOf } from './manifest-status.js';

export function register(ctx: ControllerContext, opts: InterpreterOption = {}): void {
  registerWorkStatusController(ctx, interpreterOf(ctx, opts));
}
