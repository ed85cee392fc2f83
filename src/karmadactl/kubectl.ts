// Runs the installed kubectl against the Karmada control plane or, through the cluster proxy, a member:
// Karmada's karmadactl embeds kubectl's commands (create, delete, edit, label, annotate, patch, explain,
// logs, exec, attach, ...) with a factory whose member server is
// <karmada-apiserver>/apis/cluster.karmada.io/v1alpha1/clusters/NAME/proxy; we run kubectl itself with
// the same kubeconfig, context and server, so every kubectl flag and message is kubectl's own.
import { spawn } from 'node:child_process';

/** Karmada's util.proxyURL, joined to the control plane's URL */
export function memberProxyServer(controlPlaneServer: string, cluster: string): string {
  return `${controlPlaneServer.replace(/\/+$/, '')}/apis/cluster.karmada.io/v1alpha1/clusters/${encodeURIComponent(cluster)}/proxy/`;
}

export interface KubectlTarget {
  kubeconfig: string;
  context?: string;
  /** a member's proxy URL, instead of the context's server */
  server?: string;
}

/** the kubectl arguments that aim it at target, before the command's own */
export function kubectlArgs(target: KubectlTarget, args: string[]): string[] {
  return ['--kubeconfig', target.kubeconfig, ...(target.context ? ['--context', target.context] : []), ...(target.server ? ['--server', target.server] : []), ...args];
}

export const kubectlBinary = () => process.env.KARMADACTL_KUBECTL || 'kubectl';

interface KubectlRun {
  code: number;
  /** set when output was captured */
  stdout?: string;
  stderr?: string;
}

/** runs kubectl; with capture the output is returned, otherwise it goes to this process's terminal */
export function runKubectl(target: KubectlTarget, args: string[], opts: { capture?: boolean; stdin?: 'inherit' | 'ignore'; input?: string } = {}): Promise<KubectlRun> {
  const binary = kubectlBinary();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, kubectlArgs(target, args), { stdio: [opts.input !== undefined ? 'pipe' : (opts.stdin ?? 'inherit'), opts.capture ? 'pipe' : 'inherit', opts.capture ? 'pipe' : 'inherit'] });
    let stdout = '';
    let stderr = '';
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') reject(new Error(`this command runs kubectl, which was not found on PATH (${binary}): install kubectl 1.27 or newer, or set KARMADACTL_KUBECTL to its path`));
      else reject(err);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), ...(opts.capture ? { stdout, stderr } : {}) }));
  });
}
