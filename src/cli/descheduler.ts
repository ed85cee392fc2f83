// `karmada-ts descheduler`: Karmada's karmada-descheduler as its own process: the descheduler
// controller alone in a controller manager (leader election as the controller manager's).
import type { Command } from 'commander';

function duration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`${flag} must be a duration such as 2m or 30s (got ${JSON.stringify(text)})`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

export function registerDeschedulerCommand(program: Command): void {
  program
    .command('descheduler')
    .description("evict replicas the members cannot run (pods unschedulable for --unschedulable-threshold) from dynamically weighted Divided bindings, so the scheduler places them elsewhere (Karmada's karmada-descheduler)")
    .requiredOption('--kubeconfig <file>', 'kubeconfig of the karmada control plane')
    .option('--descheduling-interval <duration>', 'how often each binding is looked at', '2m')
    .option('--unschedulable-threshold <duration>', 'how long a pod must have been unschedulable', '5m')
    .option('--leader-elect', 'run under leader election (a Lease in karmada-system)', false)
    .action(async (o: { kubeconfig: string; deschedulingInterval: string; unschedulableThreshold: string; leaderElect: boolean }) => {
      const intervalMs = duration('--descheduling-interval', o.deschedulingInterval);
      const thresholdMs = duration('--unschedulable-threshold', o.unschedulableThreshold);
      const { startControllerManager } = await import('../controllermanager/index.js');
      const { register } = await import('../controllers/descheduler/index.js');
      const cm = await startControllerManager({
        kubeconfig: o.kubeconfig,
        controllers: ['descheduler'],
        userAgentComponent: 'karmada-descheduler',
        extraControllers: { descheduler: (ctx) => register(ctx, { intervalMs, thresholdMs }) },
        leaderElect: o.leaderElect,
        leaderElectionNamespace: 'karmada-system',
      });
      const stop = () => void cm.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await cm.done;
    });
}
