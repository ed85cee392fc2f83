// Workloads page: every resource template with its policy, placement, replicas and health; filtered,
// sorted and paged by the server, shown as a virtualised table (only the rows in view are in the DOM),
// live over SSE for the rows around the view (Karmada's ResourceBindings seen from the template).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { openLive, useOnce } from '../lib/api.js';
import { healthBadge, placementText, workloadPath, workloadsQuery } from '../lib/format.js';
import { navigate, type Loc } from '../lib/router.js';
import type { ClusterList, WorkloadList, WorkloadRow } from '../lib/types.js';
import { useVirtualRows } from '../lib/virtual.js';
import { Badge, ErrorBox, Link, LiveMarker, Notice, Page } from '../components/ui.js';
import { forbiddenReason, useWhoAmI } from '../lib/whoami.js';

const PAGE = 100;
const policyText = (r: WorkloadRow) => (r.policy ? `${r.policy.kind}/${r.policy.name}` : 'none');
const ROW = 36;
const filterKeys = ['namespace', 'kind', 'cluster', 'health', 'q'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

export function WorkloadsPage({ loc }: { loc: Loc }) {
  const filters = useMemo(() => Object.fromEntries(filterKeys.map((k) => [k, loc.search.get(k) ?? ''])) as Filters, [loc.search.toString()]);
  const query = workloadsQuery(filters);
  const me = useWhoAmI();
  const noBindings = forbiddenReason(me.data, 'resourcebindings', 'clusterresourcebindings');
  return (
    <Page title="Workloads">
      {noBindings && <Notice>Placement and replicas per cluster are unknown here: this identity cannot read the bindings ({noBindings})</Notice>}
      <FilterForm filters={filters} />
      <WorkloadTable key={query} query={filters} />
    </Page>
  );
}

function FilterForm({ filters }: { filters: Filters }) {
  const clusters = useOnce<ClusterList>('/ui/v1/clusters');
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  // typing filters after a short pause; the URL holds them, so a filtered list can be bookmarked
  useEffect(() => {
    const t = setTimeout(() => navigate(`/workloads${workloadsQuery(draft)}`, { replace: true }), 250);
    return () => clearTimeout(t);
  }, [draft]);
  const set = (k: keyof Filters) => (e: Event) => setDraft((d) => ({ ...d, [k]: (e.currentTarget as HTMLInputElement).value }));
  return (
    <form class="filters" role="search" aria-label="Filter workloads" onSubmit={(e) => e.preventDefault()}>
      <label>
        Namespace <input name="namespace" value={draft.namespace} onInput={set('namespace')} placeholder="all" />
      </label>
      <label>
        Kind <input name="kind" value={draft.kind} onInput={set('kind')} placeholder="all" />
      </label>
      <label>
        Cluster{' '}
        {clusters.data?.items.length ? (
          <select name="cluster" value={draft.cluster} onChange={set('cluster')}>
            <option value="">all</option>
            {clusters.data.items.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
            {draft.cluster && !clusters.data.items.some((c) => c.name === draft.cluster) && <option value={draft.cluster}>{draft.cluster}</option>}
          </select>
        ) : (
          // the clusters cannot be listed (or there are none yet): the name is typed instead
          <input name="cluster" value={draft.cluster} onInput={set('cluster')} placeholder="all" />
        )}
      </label>
      <label>
        Health{' '}
        <select name="health" value={draft.health} onChange={set('health')}>
          <option value="">all</option>
          {['Healthy', 'Unhealthy', 'Progressing', 'Unknown'].map((h) => (
            <option key={h}>{h}</option>
          ))}
        </select>
      </label>
      <label>
        Search <input name="q" type="search" value={draft.q} onInput={set('q')} placeholder="name contains" />
      </label>
    </form>
  );
}

function WorkloadTable({ query }: { query: Filters }) {
  const scroller = useRef<HTMLDivElement>(null);
  const pages = useRef(new Map<number, WorkloadRow[]>());
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [, setVersion] = useState(0);
  const [live, setLive] = useState({ live: false, error: undefined as string | undefined, updates: 0 });
  const v = useVirtualRows(total ?? 0, () => scroller.current, ROW);
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  // the live window: the page holding the first row in view and the next one (the view is < PAGE rows)
  const windowPage = Math.floor(first / PAGE);
  const [subscribed, setSubscribed] = useState(windowPage);
  useEffect(() => {
    const t = setTimeout(() => setSubscribed(windowPage), 120);
    return () => clearTimeout(t);
  }, [windowPage]);

  useEffect(() => {
    const offset = subscribed * PAGE;
    return openLive<WorkloadList>(`/ui/v1/workloads${workloadsQuery({ ...query, offset, limit: 2 * PAGE })}`, {
      doc: (doc) => {
        pages.current.set(subscribed, doc.items.slice(0, PAGE));
        pages.current.set(subscribed + 1, doc.items.slice(PAGE));
        // pages beyond the new end are gone
        for (const p of pages.current.keys()) if (p * PAGE >= doc.total) pages.current.delete(p);
        setTotal(doc.total);
        setVersion((n) => n + 1);
        setLive((s) => ({ ...s, updates: s.updates + 1 }));
      },
      state: (isLive, error) => setLive((s) => ({ ...s, live: isLive, error })),
    });
  }, [subscribed]);

  const rowAt = (i: number) => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];
  const top = items[0]?.start ?? 0;
  const bottom = v.getTotalSize() - (items.length ? items[items.length - 1].end : 0);
  const described = Object.entries(query).filter(([, val]) => val).map(([k, val]) => `${k}=${val}`).join(', ');
  return (
    <>
      <LiveMarker live={live.live} updates={live.updates} />
      <ErrorBox error={live.error} />
      <div class="scroller" ref={scroller} tabIndex={0} aria-label="Workloads list (scrollable)">
        <table class="grid virtual" aria-rowcount={(total ?? 0) + 1} id="workloads-table">
          <caption>
            {total === undefined ? 'Loading workloads…' : `${total} workload${total === 1 ? '' : 's'}${described ? ` matching ${described}` : ''}`}
          </caption>
          <colgroup>
            <col class="c-name" />
            <col class="c-ns" />
            <col class="c-kind" />
            <col class="c-policy" />
            <col class="c-place" />
            <col class="c-repl" />
            <col class="c-health" />
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Name</th>
              <th scope="col">Namespace</th>
              <th scope="col">Kind</th>
              <th scope="col">Policy</th>
              <th scope="col">Replicas per cluster</th>
              <th scope="col">Ready / desired</th>
              <th scope="col">Health</th>
            </tr>
          </thead>
          <tbody>
            {top > 0 && <tr aria-hidden="true" style={{ height: `${top}px` }} />}
            {items.map((it) => {
              const r = rowAt(it.index);
              if (!r)
                return (
                  <tr key={`p${it.index}`} aria-rowindex={it.index + 2} class="placeholder">
                    <td colSpan={7}>Loading row {it.index + 1}…</td>
                  </tr>
                );
              return (
                <tr key={r.uid || `${r.namespace}/${r.kind}/${r.name}`} aria-rowindex={it.index + 2} data-workload={`${r.namespace ?? ''}/${r.kind}/${r.name}`}>
                  <th scope="row">
                    <Link href={workloadPath(r)}>{r.name}</Link>
                  </th>
                  <td>{r.namespace || '—'}</td>
                  <td>{r.kind}</td>
                  <td title={policyText(r)}>{policyText(r)}</td>
                  <td title={placementText(r.clusters)}>{placementText(r.clusters)}</td>
                  <td>{r.replicas ? `${r.replicas.ready} / ${r.replicas.desired}` : '—'}</td>
                  <td>
                    <Badge badge={healthBadge(r.health)} title={r.message} />
                  </td>
                </tr>
              );
            })}
            {bottom > 0 && <tr aria-hidden="true" style={{ height: `${bottom}px` }} />}
          </tbody>
        </table>
      </div>
    </>
  );
}
