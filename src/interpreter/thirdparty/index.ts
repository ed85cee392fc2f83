// The third-party layer (Karmada's default/thirdparty): built-in customizations for well-known
// CRD workloads, run by the same Lua engine as users' ResourceInterpreterCustomizations, below them
// and webhooks in precedence.
import { LuaCustomizationLayer, type ResourceInterpreterCustomization } from '../lua/customization.js';
import type { LuaVMOptions } from '../lua/vm.js';
import { batchCustomizations } from './batch.js';
import { fluxCustomizations } from './flux.js';
import { kruiseCustomizations } from './kruise.js';
import { kubeflowCustomizations } from './kubeflow.js';
import { kyvernoCustomizations } from './kyverno.js';
import { rayCustomizations } from './ray.js';

export const thirdPartyCustomizations: readonly ResourceInterpreterCustomization[] = [...kruiseCustomizations, ...fluxCustomizations, ...kyvernoCustomizations, ...kubeflowCustomizations, ...batchCustomizations, ...rayCustomizations];

/**
 * a Lua layer holding every third-party customization (or only those for `only`'s kind, for a
 * one-shot command); throws if one of ours does not load. `lazy`: each script is compiled at its
 * first call (a component's start does not compile scripts for kinds it may never meet)
 */
export async function createThirdPartyLayer(opts: LuaVMOptions & { lazy?: boolean } = {}, only?: { apiVersion?: string; kind?: string }): Promise<LuaCustomizationLayer> {
  const { lazy, ...vmOptions } = opts;
  const layer = await LuaCustomizationLayer.create(vmOptions);
  const wanted = only ? thirdPartyCustomizations.filter((c) => c.spec.target.apiVersion === only.apiVersion && c.spec.target.kind === only.kind) : thirdPartyCustomizations;
  const problems = layer.load([...wanted], { lazy });
  if (problems.length > 0) {
    layer.close();
    throw new Error(`third-party customizations: ${problems.map((p) => `${p.customization} ${p.field}: ${p.message}`).join('; ')}`);
  }
  return layer;
}
