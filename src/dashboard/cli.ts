// `karmada-ts dashboard --kubeconfig F [--context C] [--port P] [--address A] [--namespace N ...]`:
// the dashboard alone, until Ctrl-C; prints the URL to open (with its one-time key).
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { DashboardServer } from './server.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** the kubeconfig's text from a path (or the text itself, as components started by the playground pass it) */
export function kubeconfigText(kubeconfig: string): string {
  const isText = kubeconfig.includes('\n') || kubeconfig.trimStart().startsWith('apiVersion') || kubeconfig.trimStart().startsWith('{');
  if (isText) return kubeconfig;
  if (!existsSync(kubeconfig)) throw new Error(`--kubeconfig ${kubeconfig}: no such file`);
  return readFileSync(kubeconfig, 'utf8');
}

export function dashboardLine(d: DashboardServer): string {
  return `Dashboard: ${d.url}`;
}

export function registerDashboardCommand(program: Command, untilSignal: (stop: () => Promise<void>) => Promise<void>): void {
  program
    .command('dashboard')
    .description("serve the dashboard on 127.0.0.1, reading the control plane as the kubeconfig's identity (read-only)")
    .requiredOption('--kubeconfig <file>', 'the identity the dashboard reads with')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--port <port>', 'port on the address (0 picks one)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be a port number (0-65535), got ${JSON.stringify(v)}`);
      return n;
    }, 0)
    .option('--address <ip>', 'address to listen on', '127.0.0.1')
    .option('-n, --namespace <ns>', 'a namespace to read, besides the context namespace, when the identity cannot list across namespaces (repeatable)', collect, [] as string[])
    .action(async (opts: { kubeconfig: string; context?: string; port: number; address: string; namespace: string[] }) => {
      const d = await DashboardServer.start({ kubeconfig: kubeconfigText(opts.kubeconfig), context: opts.context, port: opts.port, address: opts.address, namespaces: opts.namespace });
      process.stdout.write(`${dashboardLine(d)}\n`);
      await untilSignal(() => d.stop());
    });
}
