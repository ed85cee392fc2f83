// needs: etcd
// `npm run chaos` shortened for the suite, on a 3-member etcd: an etcd member, the API server, another
// etcd member and a member cluster kill -9'd and restarted under load; then every acknowledged write is
// where its policy puts it, and nothing else is.
import { test } from 'node:test';
import { killEachOnceAndConverge } from './shortened.js';

test('etcd: etcd members, the API server and a member killed under load; the members converge to every acknowledged write', { timeout: 420_000 }, () =>
  killEachOnceAndConverge('etcd', ['etcd-0', 'karmada-apiserver', 'etcd-2', 'member2'], 21));
