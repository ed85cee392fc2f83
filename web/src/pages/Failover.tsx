// Failover page: pick a cluster and see what `karmadactl failover what-if --cluster` computes: which
// bindings would be evicted, when, or kept, or have nowhere to go (Karmada's taint-based eviction).
import { useOnce, useLive } from '../lib/api.js';
import { readyBadge } from '../lib/format.js';
import { navigate, type Loc } from '../lib/router.js';
import type { ClusterList, WhatIf, WhatIfRow } from '../lib/types.js';
import { Badge, ErrorBox, Loading, Page } from '../components/ui.js';

const actionBadge = (r: WhatIfRow) =>
  r.action === 'evict'
    ? { text: r.afterSeconds ? `evicted after ${r.afterSeconds}s` : 'evicted now', icon: '⇢', tone: 'warn' as const }
    : r.action === 'keep'
      ? { text: 'kept', icon: '✔', tone: 'ok' as const }
      : { text: 'blocked: nowhere to go', icon: '✖', tone: 'bad' as const };

export function FailoverPage({ loc }: { loc: Loc }) {
  const cluster = loc.search.get('cluster') ?? '';
  const clusters = useOnce<ClusterList>('/ui/v1/clusters');
  const whatIf = useLive<WhatIf>(cluster ? `/ui/v1/failover/whatif?cluster=${encodeURIComponent(cluster)}` : undefined);
  return (
    <Page title="Failover what-if">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          If this cluster failed now{' '}
          <select name="cluster" value={cluster} onChange={(e) => navigate(`/failover?cluster=${encodeURIComponent((e.currentTarget as HTMLSelectElement).value)}`, { replace: true })}>
            <option value="">choose a cluster</option>
            {(clusters.data?.items ?? []).map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({readyBadge(c.ready).text})
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorBox error={clusters.error ?? whatIf.error} />
      {cluster && !whatIf.data && !whatIf.error && <Loading what="the what-if" />}
      {whatIf.data && (
        <>
          <p>
            {whatIf.data.cluster} would carry the taints:{' '}
            {whatIf.data.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') || 'none'}.
          </p>
          {whatIf.data.rows.length === 0 ? (
            <p>No binding has replicas on {whatIf.data.cluster}: nothing would move.</p>
          ) : (
            <table class="grid" id="whatif-table">
              <caption>What would happen to each binding on {whatIf.data.cluster}</caption>
              <thead>
                <tr>
                  <th scope="col">Binding</th>
                  <th scope="col">Replicas there</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {whatIf.data.rows.map((r) => (
                  <tr key={`${r.kind}/${r.namespace}/${r.name}`}>
                    <th scope="row">
                      {r.kind} {r.namespace ? `${r.namespace}/` : ''}
                      {r.name}
                    </th>
                    <td>{r.replicas}</td>
                    <td>
                      <Badge badge={actionBadge(r)} />
                    </td>
                    <td>{r.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Page>
  );
}
