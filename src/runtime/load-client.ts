// A client from a --kubeconfig flag that may hold the kubeconfig's text or a path to it (components
// started by the playground get the text; people pass a path).
import { existsSync, readFileSync } from 'node:fs';
import { KubeClient, type ClientOptions } from './client.js';
import { userAgent } from './user-agent.js';

/** `component` names the User-Agent the client sends (karmada-controller-manager, karmada-agent, ...) */
export function loadClient(kubeconfig: string, component?: string, options: ClientOptions = {}): KubeClient {
  const isText = kubeconfig.includes('\n') || kubeconfig.trimStart().startsWith('apiVersion') || kubeconfig.trimStart().startsWith('{');
  const opts = component ? { ...options, userAgent: userAgent(component) } : options;
  if (!isText && existsSync(kubeconfig)) return KubeClient.fromKubeconfig(readFileSync(kubeconfig, 'utf8'), opts);
  return KubeClient.fromKubeconfig(kubeconfig, opts);
}
