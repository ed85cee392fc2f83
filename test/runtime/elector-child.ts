// A leader-election candidate in its own process, for the kill -9 test:
//   node --import tsx test/runtime/elector-child.ts <kubeconfig file> <identity> [leaseMs renewMs retryMs]
// Prints `leading <id>` when it starts leading and `stopped <id>` when it stops; SIGTERM stops it cleanly.
import { KubeClient } from '../../src/runtime/client.js';
import { runLeaderElection } from '../../src/runtime/leaderelection.js';

const [kubeconfig, identity, lease = '3000', renew = '2000', retry = '500'] = process.argv.slice(2);
if (!kubeconfig || !identity) {
  console.error('usage: elector-child.ts <kubeconfig> <identity> [leaseMs renewMs retryMs]');
  process.exit(2);
}
const client = KubeClient.fromFile(kubeconfig);
const election = runLeaderElection({
  client,
  namespace: 'default',
  name: 'elector-test',
  identity,
  leaseDurationMs: Number(lease),
  renewDeadlineMs: Number(renew),
  retryPeriodMs: Number(retry),
  onStartedLeading: () => void process.stdout.write(`leading ${identity}\n`),
  onStoppedLeading: () => void process.stdout.write(`stopped ${identity}\n`),
});
process.stdout.write(`ready ${identity}\n`);
process.on('SIGTERM', () => void election.stop().then(() => process.exit(0)));
void election.done.then(() => process.exit(0));
