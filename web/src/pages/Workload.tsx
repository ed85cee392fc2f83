// A workload's page: where its replicas are, how it got there (template -> policy -> binding ->
// Works -> applied -> healthy), why the scheduler chose those clusters (`karmadactl schedule --explain`),
// the overrides per cluster as a diff, and its pods in each member with their logs.
import { useEffect, useState } from 'preact/hooks';
import { getText, useLive } from '../lib/api.js';
import { diffLines, diffStat, formatTime, healthBadge, stepBadge } from '../lib/format.js';
import { workloadApi, type Route } from '../lib/route.js';
import type { ClusterExplanation, OverrideDiff, PodView, WorkloadDetail } from '../lib/types.js';
import { Badge, ErrorBox, Link, LiveMarker, Loading, Page } from '../components/ui.js';

export function WorkloadPage({ route }: { route: Extract<Route, { page: 'workload' }> }) {
  const live = useLive<WorkloadDetail>(workloadApi(route));
  const d = live.data;
  const title = `${route.kind} ${route.namespace ? `${route.namespace}/` : ''}${route.name}`;
  return (
    <Page title={title}>
      <p>
        <Link href="/workloads">← All workloads</Link>
      </p>
      <LiveMarker live={live.live} updates={live.updates} />
      <ErrorBox error={live.error} />
      {!d && !live.error && <Loading what="the workload" />}
      {d && (
        <>
          <dl class="facts">
            <dt>Health</dt>
            <dd>
              <Badge badge={healthBadge(d.row.health)} />
              {d.row.message ? ` ${d.row.message}` : ''}
            </dd>
            <dt>Policy</dt>
            <dd>{d.row.policy ? `${d.row.policy.kind} ${d.row.policy.namespace ? `${d.row.policy.namespace}/` : ''}${d.row.policy.name}` : 'none matches'}</dd>
            <dt>Replicas</dt>
            <dd>{d.row.replicas ? `${d.row.replicas.ready} ready of ${d.row.replicas.desired}` : '—'}</dd>
            <dt>Scheduled</dt>
            <dd>{d.row.scheduled ? 'yes' : 'no'}</dd>
          </dl>
          <Replicas d={d} />
          <Timeline d={d} />
          <Explanation clusters={d.explanation?.clusters ?? []} message={d.explanation?.message} />
          <Overrides overrides={d.overrides} />
          <Pods pods={d.pods} errors={d.podErrors ?? []} />
        </>
      )}
    </Page>
  );
}

function Replicas({ d }: { d: WorkloadDetail }) {
  return (
    <section aria-labelledby="replicas-h">
      <h2 id="replicas-h">Replicas per cluster</h2>
      {d.row.clusters.length === 0 ? (
        <p>Not placed on any cluster.</p>
      ) : (
        <table class="grid" id="replicas-table">
          <caption>Replicas the scheduler assigned to each cluster</caption>
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col">Replicas</th>
            </tr>
          </thead>
          <tbody>
            {d.row.clusters.map((c) => (
              <tr key={c.name} data-cluster={c.name}>
                <th scope="row">{c.name}</th>
                <td>{c.replicas ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Timeline({ d }: { d: WorkloadDetail }) {
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">Propagation timeline</h2>
      <ol class="timeline" id="timeline">
        {d.timeline.map((s, i) => (
          <li key={i} data-step={s.step} data-status={s.status}>
            <Badge badge={stepBadge(s.status)} /> <strong>{s.step}</strong>
            {s.cluster ? ` on ${s.cluster}` : ''} {s.time && <time dateTime={s.time}>{formatTime(s.time)}</time>}
            {s.message ? <span class="muted"> — {s.message}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Explanation({ clusters, message }: { clusters: ClusterExplanation[]; message?: string }) {
  return (
    <section aria-labelledby="explain-h">
      <h2 id="explain-h">Why these clusters (scheduler explanation)</h2>
      {message && <p id="explain-message">Scheduler: {message}</p>}
      {clusters.length === 0 ? (
        <p>No per-cluster explanation.</p>
      ) : (
        <table class="grid" id="explain-table">
          <caption>Each cluster as the scheduler saw it: filters, scores, the most replicas it could take, and what it got</caption>
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col">Feasible</th>
              <th scope="col">Filters</th>
              <th scope="col">Score</th>
              <th scope="col">Max replicas</th>
              <th scope="col">Assigned</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c) => (
              <tr key={c.name} data-cluster={c.name}>
                <th scope="row">{c.name}</th>
                <td>
                  <Badge badge={c.feasible ? { text: 'feasible', icon: '✔', tone: 'ok' } : { text: 'filtered out', icon: '✖', tone: 'bad' }} />
                </td>
                <td>
                  <ul class="plain">
                    {c.filters.map((f) => (
                      <li key={f.plugin}>
                        {f.plugin}: {f.result}
                        {f.reason ? ` (${f.reason})` : ''}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {c.score ?? '—'}
                  {c.scores.length > 0 && (
                    <ul class="plain muted">
                      {c.scores.map((s) => (
                        <li key={s.plugin}>
                          {s.plugin}: {s.score}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{c.maxReplicas ?? '—'}</td>
                <td>{c.assigned ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Overrides({ overrides }: { overrides: OverrideDiff[] }) {
  const changed = overrides.filter((o) => o.policies.length > 0 || o.diff);
  const plain = overrides.filter((o) => !changed.includes(o)).map((o) => o.cluster);
  return (
    <section aria-labelledby="overrides-h" id="overrides">
      <h2 id="overrides-h">Overrides per cluster</h2>
      {plain.length > 0 && <p>No OverridePolicy applies on {plain.join(', ')}: the template goes there as it is.</p>}
      {changed.map((o) => {
        const lines = diffLines(o.diff);
        const stat = diffStat(lines);
        return (
          <div key={o.cluster} class="override" data-cluster={o.cluster}>
            <h3>
              {o.cluster}: {o.policies.join(', ')} ({stat.added} line{stat.added === 1 ? '' : 's'} added, {stat.removed} removed)
            </h3>
            {lines.length === 0 ? (
              <p>The policies change nothing in this template.</p>
            ) : (
              <pre class="diff" aria-label={`Diff of the template and the manifest applied to ${o.cluster}`}>
                {lines.map((l, i) => (
                  <div key={i} class={`d-${l.kind}`}>
                    {l.label && <span class="sr-only">{l.label}: </span>}
                    {l.text}
                  </div>
                ))}
              </pre>
            )}
          </div>
        );
      })}
    </section>
  );
}

function Pods({ pods, errors }: { pods: PodView[]; errors: { cluster: string; message: string }[] }) {
  const [logsOf, setLogsOf] = useState<PodView | undefined>();
  const byCluster = new Map<string, PodView[]>();
  for (const p of pods) byCluster.set(p.cluster, [...(byCluster.get(p.cluster) ?? []), p]);
  return (
    <section aria-labelledby="pods-h">
      <h2 id="pods-h">Pods in the members</h2>
      {pods.length === 0 && <p>No pods found for this workload.</p>}
      {errors.map((e) => (
        <ErrorBox key={e.cluster} error={`pods on ${e.cluster} could not be read: ${e.message}`} />
      ))}
      {[...byCluster].map(([cluster, list]) => (
        <table class="grid" key={cluster} data-cluster={cluster}>
          <caption>
            Pods on {cluster} ({list.length})
          </caption>
          <thead>
            <tr>
              <th scope="col">Pod</th>
              <th scope="col">Node</th>
              <th scope="col">Status</th>
              <th scope="col">Ready</th>
              <th scope="col">Restarts</th>
              <th scope="col">Logs</th>
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.name}>
                <th scope="row">{p.name}</th>
                <td>{p.node || '—'}</td>
                <td>{p.phase || 'Unknown'}</td>
                <td>{p.ready}</td>
                <td>{p.restarts}</td>
                <td>
                  <button type="button" onClick={() => setLogsOf(p)} aria-pressed={logsOf?.cluster === p.cluster && logsOf?.name === p.name}>
                    Logs<span class="sr-only"> of {p.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {logsOf && <Logs key={`${logsOf.cluster}/${logsOf.name}`} pod={logsOf} onClose={() => setLogsOf(undefined)} />}
    </section>
  );
}

/** the cluster proxy's pod log (`kubectl logs --tail`), fetched when asked, refreshed by the button */
function Logs({ pod, onClose }: { pod: PodView; onClose: () => void }) {
  const [container, setContainer] = useState(pod.containers[0] ?? '');
  const [tail, setTail] = useState(200);
  const [state, setState] = useState<{ text?: string; error?: string; loading: boolean }>({ loading: false });
  const load = () => {
    setState((s) => ({ ...s, loading: true }));
    const q = new URLSearchParams({ tailLines: String(tail), ...(container ? { container } : {}) });
    const url = `/k8s/apis/cluster.karmada.io/v1alpha1/clusters/${encodeURIComponent(pod.cluster)}/proxy/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}/log?${q}`;
    getText(url).then(
      (text) => setState({ text, loading: false }),
      (err: Error) => setState({ error: err.message, loading: false }),
    );
  };
  // first load when opened (and when the container or tail changes)
  useEffect(load, [container, tail]);
  return (
    <section class="logs card" aria-labelledby="logs-h">
      <h3 id="logs-h">
        Logs of {pod.name} on {pod.cluster}
      </h3>
      <div class="toolbar">
        {pod.containers.length > 1 && (
          <label>
            Container{' '}
            <select value={container} onChange={(e) => setContainer((e.currentTarget as HTMLSelectElement).value)}>
              {pod.containers.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          Last lines{' '}
          <select value={String(tail)} onChange={(e) => setTail(Number((e.currentTarget as HTMLSelectElement).value))}>
            {[50, 200, 1000].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={load} disabled={state.loading}>
          {state.loading ? 'Loading…' : 'Refresh'}
        </button>
        <button type="button" onClick={onClose}>
          Close logs
        </button>
      </div>
      <ErrorBox error={state.error} />
      {state.text !== undefined && <pre class="log">{state.text || '(no output)'}</pre>}
    </section>
  );
}
