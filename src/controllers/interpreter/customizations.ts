// Live ResourceInterpreterCustomizations (Karmada's customized/declarative ConfigManager): an
// informer on config.karmada.io/v1alpha1 customizations reloads the Lua layer of the shared
// interpreter whenever one is created, updated or deleted, so the next interpretation uses it.
// Also the interpreter's InterpretHealth events on Works (workstatus controller's, in Karmada).
import type { KubeObject } from '../../apimachinery/types.js';
import { resourceInterpreterCustomizationGVR, workGVR } from '../../apis/karmada/gvr.js';
import { WorkNameAnnotation, WorkNamespaceAnnotation } from '../../apis/karmada/wellknown.js';
import { EventReasonInterpretHealthFailed, EventReasonInterpretHealthSucceed } from '../../interpreter/events.js';
import { DefaultInterpreter } from '../../interpreter/default.js';
import { LuaCustomizationLayer, type ResourceInterpreterCustomization } from '../../interpreter/lua/customization.js';
import type { LuaVMOptions } from '../../interpreter/lua/vm.js';
import { createThirdPartyLayer } from '../../interpreter/thirdparty/index.js';
import { gvkOf, InterpreterOperation, type ResourceInterpreter } from '../../interpreter/types.js';
import type { ControllerContext } from '../context.js';

/** reason of the Warning event on a customization whose script cannot be loaded */
const EventReasonLoadCustomizationFailed = 'LoadCustomizationFailed';

/**
 * Starts feeding `interpreter` (when it is the default chain) with the cluster's customizations.
 * Handlers run in the informer's order: a handler added after this one (the detector's) sees the
 * customization already loaded.
 */
export async function watchCustomizations(ctx: ControllerContext, interpreter: ResourceInterpreter, opts: LuaVMOptions = {}): Promise<void> {
  if (!(interpreter instanceof DefaultInterpreter)) return;
  const layer = await LuaCustomizationLayer.create(opts);
  const informer = ctx.manager.informer(ctx.client, resourceInterpreterCustomizationGVR);
  const reported = new Set<string>();
  const reload = () => {
    const all = informer.list() as unknown as (ResourceInterpreterCustomization & KubeObject)[];
    const problems = layer.load(all);
    interpreter.setLayer('customization', all.length > 0 ? layer : undefined);
    for (const p of problems) {
      const key = `${p.customization}|${p.field}|${p.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      ctx.log.error({ customization: p.customization, field: p.field }, p.message);
      const ric = all.find((r) => r.metadata.name === p.customization);
      if (ric) ctx.events.record(ric, 'Warning', EventReasonLoadCustomizationFailed, `Load ${p.field} failed: ${p.message}`);
    }
  };
  informer.addHandlers({ onAdd: reload, onUpdate: (obj, old) => obj.metadata.resourceVersion !== old.metadata.resourceVersion && reload(), onDelete: reload });
  ctx.signal.addEventListener('abort', () => {
    interpreter.setLayer('customization', undefined);
    layer.close();
  }, { once: true });
}

/**
 * Karmada's InterpretHealthSucceed/InterpretHealthFailed events, on the Work that delivered the
 * member object (found through its work.karmada.io annotations), for kinds with a health rule.
 */
export function recordHealthEvents(ctx: ControllerContext, interpreter: ResourceInterpreter): void {
  if (!(interpreter instanceof DefaultInterpreter)) return;
  const works = ctx.manager.informer(ctx.client, workGVR);
  interpreter.onHealth = (obj, health, error) => {
    if (!interpreter.hookEnabled(gvkOf(obj), InterpreterOperation.InterpretHealth)) return;
    const annotations = obj.metadata.annotations ?? {};
    const name = annotations[WorkNameAnnotation];
    const namespace = annotations[WorkNamespaceAnnotation];
    const work = name && namespace ? works.get(`${namespace}/${name}`) : undefined;
    if (!work) return;
    const id = `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    if (error !== undefined) {
      ctx.events.record(work, 'Warning', EventReasonInterpretHealthFailed, `Interpret health of object(${id}) failed, err: ${error instanceof Error ? error.message : String(error)}.`);
    } else {
      ctx.events.record(work, 'Normal', EventReasonInterpretHealthSucceed, `Interpret health of object(${id}) as ${health === 'Healthy' ? 'healthy' : 'unhealthy'}.`);
    }
  };
  ctx.signal.addEventListener('abort', () => (interpreter.onHealth = undefined), { once: true });
}

/** Installs the built-in third-party customizations (OpenKruise, ...) below customizations and webhooks. */
export async function installThirdParty(ctx: ControllerContext, interpreter: ResourceInterpreter): Promise<void> {
  if (!(interpreter instanceof DefaultInterpreter)) return;
  // compiled as kinds are met: compiling every script made a second of every controller manager's start
  const layer = await createThirdPartyLayer({ lazy: true });
  interpreter.setLayer('thirdparty', layer);
  ctx.signal.addEventListener('abort', () => {
    interpreter.setLayer('thirdparty', undefined);
    layer.close();
  }, { once: true });
}
