// A client from a --kubeconfig flag that may hold the kubeconfig's text or a path to it (components
// started by the playground get the text; people pass a path).
import { existsSync, readFileSync } from 'node:fs';
import { KubeClient } from './client.js';

export function loadClient(kubeconfig: string): KubeClient {
  const isText = kubeconfig.includes('\n') || kubeconfig.trimStart().startsWith('apiVersion') || kubeconfig.trimStart().startsWith('{');
  if (!isText && existsSync(kubeconfig)) return KubeClient.fromKubeconfig(readFileSync(kubeconfig, 'utf8'));
  return KubeClient.fromKubeconfig(kubeconfig);
}
