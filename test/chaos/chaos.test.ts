// `npm run chaos` shortened for the suite, on SQLite: while a generator writes Deployments, ConfigMaps and
// PropagationPolicies, the API server, the controller manager, the scheduler and a member are each
// kill -9'd and restarted once; then every acknowledged write is where its policy puts it, nothing else is.
import { test } from 'node:test';
import { killEachOnceAndConverge } from './shortened.js';

test('sqlite: every component killed once under load; the members converge to every acknowledged write', { timeout: 420_000 }, () =>
  killEachOnceAndConverge('sqlite', ['karmada-apiserver', 'karmada-controller-manager', 'member1', 'karmada-scheduler'], 20));
