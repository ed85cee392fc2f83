// The cost of RBAC (npm run bench:apiserver -- --rbac): one API server with RBAC and one with
// --authorization-mode AlwaysAllow, both in child processes on memory storage, the same workload
// from a user whose rights come from a RoleBinding among many bindings (the walk RBAC does), and
// from the admin (system:masters, which RBAC lets through first). Rounds alternate the servers so
// both see the same moments of a shared machine; the best round of each is reported.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSignedCert } from '../../src/apiserver/auth/certs.js';
import { aggregationUpdates } from '../../src/apiserver/auth/rbac/aggregation.js';
import { authorize, type BindingObject, type RbacObjects, type RoleObject } from '../../src/apiserver/auth/rbac/authorizer.js';
import { bootstrapClusterRoles } from '../../src/apiserver/auth/rbac/bootstrap.js';
import { startApiServerProcess, type ApiServerProcess } from '../../test/support/apiserver-process.js';
import { throughput } from '../storage.js';
import { configMap, credentialsFromDataDir, KubeHttp, type KubeResponse } from './kube-https.js';

export interface RbacCostSizes {
  objects: number;
  concurrency: number;
  rounds: number;
  /** bindings for other users, cluster-wide and in the namespace, that every check walks past */
  otherBindings: number;
}

export const rbacCostSizes: RbacCostSizes = { objects: 3000, concurrency: 16, rounds: 3, otherBindings: 100 };
export const rbacCostQuickSizes: RbacCostSizes = { objects: 500, concurrency: 16, rounds: 2, otherBindings: 100 };

const ns = 'bench-rbac';
const rbacApi = '/apis/rbac.authorization.k8s.io/v1';

function ok(res: KubeResponse, what: string): KubeResponse {
  if (res.status >= 300 && res.status !== 409) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

interface Side {
  name: string;
  server: ApiServerProcess;
  admin: KubeHttp;
  user: KubeHttp;
}

async function startSide(name: string, dir: string, mode: string, sizes: RbacCostSizes): Promise<Side> {
  const dataDir = join(dir, name);
  const server = await startApiServerProcess(dataDir, ['--storage', 'memory', '--authorization-mode', mode]);
  const adminCreds = credentialsFromDataDir(server.url, dataDir);
  const ca = { certPem: readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'), keyPem: readFileSync(join(dataDir, 'pki', 'ca.key'), 'utf8') };
  const cert = await createSignedCert(ca, { commonName: 'bench-user', organizations: ['bench'], usage: 'client' });
  const admin = new KubeHttp(adminCreds, { maxSockets: sizes.concurrency });
  const user = new KubeHttp({ ...adminCreds, certPem: cert.certPem, keyPem: cert.keyPem }, { maxSockets: sizes.concurrency });
  ok(await admin.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), 'namespace');
  const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, user: string, role: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(kind === 'RoleBinding' ? { namespace: ns } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  });
  for (let i = 0; i < sizes.otherBindings; i++) {
    ok(await admin.post(`${rbacApi}/clusterrolebindings`, binding('ClusterRoleBinding', `other-${i}`, `other-${i}`, 'view')), 'cluster binding');
    ok(await admin.post(`${rbacApi}/namespaces/${ns}/rolebindings`, binding('RoleBinding', `other-${i}`, `other-${i}`, 'edit')), 'binding');
  }
  ok(await admin.post(`${rbacApi}/namespaces/${ns}/rolebindings`, binding('RoleBinding', 'zz-bench-user', 'bench-user', 'edit')), 'bench-user binding');
  await throughput(sizes.objects, sizes.concurrency, async (i) => ok(await admin.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(`g-${i}`, { k: 'v' }, ns)), 'seed'));
  // edit is filled by the aggregation controller: wait until the user may read
  for (let t = 0; (await user.get(`/api/v1/namespaces/${ns}/configmaps/g-0`)).status !== 200; t++) {
    if (t > 200) throw new Error(`${name}: bench-user never got access`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name, server, admin, user };
}

type Row = { phase: string; who: string; rbac: number; off: number };

export async function measureRbacCost(sizes: RbacCostSizes, log: (s: string) => void): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'karmada-ts-bench-rbac-'));
  const sides: Side[] = [];
  try {
    sides.push(await startSide('rbac', dir, 'RBAC', sizes));
    sides.push(await startSide('off', dir, 'AlwaysAllow', sizes));
    const best = new Map<string, number>();
    const keep = (key: string, v: number) => best.set(key, Math.max(best.get(key) ?? 0, v));
    for (let round = 0; round < sizes.rounds; round++) {
      for (const side of round % 2 ? [...sides].reverse() : sides) {
        for (const who of ['user', 'admin'] as const) {
          const client = side[who];
          log(`rbac cost: round ${round + 1}, ${side.name}, ${who}`);
          keep(`gets/${who}/${side.name}`, await throughput(sizes.objects, sizes.concurrency, async (i) => ok(await client.get(`/api/v1/namespaces/${ns}/configmaps/g-${i}`), 'get')));
          keep(`creates/${who}/${side.name}`, await throughput(sizes.objects, sizes.concurrency, async (i) => ok(await client.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(`c-${who}-${round}-${i}`, { k: 'v' }, ns)), 'create')));
          keep(`lists/${who}/${side.name}`, await throughput(Math.max(100, sizes.objects / 5), sizes.concurrency, async () => ok(await client.get(`/api/v1/namespaces/${ns}/configmaps?limit=50`), 'list')));
        }
      }
    }
    const rows: Row[] = [];
    for (const phase of ['gets', 'creates', 'lists']) {
      for (const who of ['user', 'admin']) rows.push({ phase, who, rbac: best.get(`${phase}/${who}/rbac`) ?? 0, off: best.get(`${phase}/${who}/off`) ?? 0 });
    }
    return rows;
  } finally {
    for (const s of sides) {
      s.admin.close();
      s.user.close();
      await s.server.kill('SIGTERM');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatRbacCost(rows: Row[], sizes: RbacCostSizes): string {
  const who = (w: string) => (w === 'user' ? `user via RoleBinding (${sizes.otherBindings}+${sizes.otherBindings} other bindings)` : 'admin (system:masters)');
  const lines = [`| requests/s, ${sizes.concurrency} clients, best of ${sizes.rounds} | RBAC | AlwaysAllow | RBAC / off |`, '|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.phase}, ${who(r.who)} | ${r.rbac.toLocaleString('en-US')} | ${r.off.toLocaleString('en-US')} | ${r.off ? (r.rbac / r.off).toFixed(2) : 'n/a'}x |`);
  return lines.join('\n');
}

/** one RBAC decision in this process, same bindings as the servers get: what a request pays, free of the machine's load */
export function microsecondsPerCheck(sizes: RbacCostSizes, checks = 50_000): number {
  const roles = bootstrapClusterRoles() as unknown as RoleObject[];
  for (let pass = 0; pass < 3; pass++) for (const u of aggregationUpdates(roles)) roles.find((r) => r.metadata.name === u.name)!.rules = u.rules;
  const other = (i: number, ns?: string, role = 'view'): BindingObject => ({ metadata: { name: `other-${i}`, namespace: ns }, roleRef: { kind: 'ClusterRole', name: role }, subjects: [{ kind: 'User', name: `other-${i}` }] });
  const crbs = Array.from({ length: sizes.otherBindings }, (_, i) => other(i));
  const rbs = [...Array.from({ length: sizes.otherBindings }, (_, i) => other(i, ns, 'edit')), { ...other(0, ns, 'edit'), metadata: { name: 'zz-bench-user', namespace: ns }, subjects: [{ kind: 'User', name: 'bench-user' }] }];
  const objects: RbacObjects = { clusterRole: (n) => roles.find((r) => r.metadata.name === n), role: () => undefined, clusterRoleBindings: () => crbs, roleBindings: () => rbs };
  const a = { user: { name: 'bench-user', groups: ['bench', 'system:authenticated'] }, verb: 'get', resourceRequest: true, path: '', namespace: ns, apiGroup: '', resource: 'configmaps', name: 'g-0' };
  if (!authorize(objects, a).allowed) throw new Error('bench-user is not allowed in the in-process check');
  const started = performance.now();
  for (let i = 0; i < checks; i++) authorize(objects, a);
  return ((performance.now() - started) * 1000) / checks;
}
