// Kubeconfig files as kubectl reads them: clusters, users, contexts, current-context.
import { stringify } from 'yaml';

export interface KubeconfigEntry {
  /** context, cluster and user name */
  name: string;
  server: string;
  caPem: string;
  user: { clientCertPem: string; clientKeyPem: string } | { token: string };
  namespace?: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function buildKubeconfig(entries: KubeconfigEntry[], currentContext = entries[0]?.name ?? ''): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: entries.map((e) => ({ name: e.name, cluster: { server: e.server, 'certificate-authority-data': b64(e.caPem) } })),
    users: entries.map((e) => ({
      name: e.name,
      user: 'token' in e.user ? { token: e.user.token } : { 'client-certificate-data': b64(e.user.clientCertPem), 'client-key-data': b64(e.user.clientKeyPem) },
    })),
    contexts: entries.map((e) => ({ name: e.name, context: { cluster: e.name, user: e.name, ...(e.namespace ? { namespace: e.namespace } : {}) } })),
    'current-context': currentContext,
  });
}
