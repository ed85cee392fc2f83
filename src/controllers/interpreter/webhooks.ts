// Live ResourceInterpreterWebhookConfigurations (Karmada's customized/webhook configmanager): an
// informer on config.karmada.io/v1alpha1 webhook configurations feeds the webhook layer of the
// shared interpreter, between customizations and third-party rules; deleting the last one removes it.
import type { KubeObject } from '../../apimachinery/types.js';
import { serviceGVR } from '../../apis/builtin/gvr.js';
import { resourceInterpreterWebhookConfigurationGVR } from '../../apis/karmada/gvr.js';
import { DefaultInterpreter } from '../../interpreter/default.js';
import type { ServiceResolver } from '../../interpreter/webhook/call.js';
import type { ResourceInterpreterWebhookConfiguration } from '../../interpreter/webhook/context.js';
import { WebhookInterpreterLayer } from '../../interpreter/webhook/layer.js';
import type { ResourceInterpreter } from '../../interpreter/types.js';
import type { ControllerContext } from '../context.js';

interface ServiceLike extends KubeObject {
  spec?: { type?: string; externalName?: string; clusterIP?: string; ports?: { port?: number; targetPort?: number | string }[] };
}

/**
 * Karmada's ServiceResolver over the control plane's Services: an ExternalName Service is its
 * externalName, another its clusterIP, at the service port asked for.
 */
export function serviceTarget(svc: ServiceLike | undefined, port: number): { host: string; port: number } | undefined {
  if (!svc) return undefined;
  if (svc.spec?.type === 'ExternalName' && svc.spec.externalName) return { host: svc.spec.externalName, port };
  const ip = svc.spec?.clusterIP;
  if (!ip || ip === 'None') return undefined;
  return { host: ip, port };
}

export async function watchWebhookConfigurations(ctx: ControllerContext, interpreter: ResourceInterpreter): Promise<void> {
  if (!(interpreter instanceof DefaultInterpreter)) return;
  let services: ReturnType<ControllerContext['manager']['informer']> | undefined;
  const resolveService: ServiceResolver = (namespace, name, port) => {
    services ??= ctx.manager.informer(ctx.client, serviceGVR);
    return serviceTarget(services.get(`${namespace}/${name}`) as ServiceLike | undefined, port);
  };
  const layer = new WebhookInterpreterLayer({ resolveService });
  const informer = ctx.manager.informer(ctx.client, resourceInterpreterWebhookConfigurationGVR);
  const reload = () => {
    const all = informer.list() as ResourceInterpreterWebhookConfiguration[];
    layer.setConfigurations(all);
    interpreter.setLayer('webhook', layer.hasHooks ? layer : undefined);
  };
  informer.addHandlers({ onAdd: reload, onUpdate: (obj, old) => obj.metadata.resourceVersion !== old.metadata.resourceVersion && reload(), onDelete: reload });
  ctx.signal.addEventListener('abort', () => interpreter.setLayer('webhook', undefined), { once: true });
}
