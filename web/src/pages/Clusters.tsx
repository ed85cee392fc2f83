// Clusters page: every member's Ready condition, sync mode, version, nodes, capacity, taints and
// Ready transitions, live (Karmada's `kubectl get clusters` plus the cluster status the dashboard derives).
import { useLive } from '../lib/api.js';
import { formatTime, percentOf, readyBadge, usageText } from '../lib/format.js';
import type { ClusterList, ClusterView } from '../lib/types.js';
import { CapacityChart, resourceNames } from '../components/CapacityChart.js';
import { Badge, ErrorBox, LiveMarker, Loading, Notice, Page } from '../components/ui.js';
import { forbiddenReason, useWhoAmI } from '../lib/whoami.js';

export function ClustersPage() {
  const live = useLive<ClusterList>('/ui/v1/clusters');
  const items = live.data?.items ?? [];
  const me = useWhoAmI();
  const forbidden = forbiddenReason(me.data, 'clusters');
  return (
    <Page title="Clusters">
      <LiveMarker live={live.live} updates={live.updates} />
      <ErrorBox error={live.error} />
      {forbidden && <Notice>This identity cannot read the clusters: {forbidden}</Notice>}
      {!live.data && !live.error && <Loading what="clusters" />}
      {live.data && (
        <table class="grid" id="clusters-table">
          <caption>
            {items.length} member cluster{items.length === 1 ? '' : 's'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Ready</th>
              <th scope="col">Mode</th>
              <th scope="col">Version</th>
              <th scope="col">Nodes ready / total</th>
              <th scope="col">CPU</th>
              <th scope="col">Memory</th>
              <th scope="col">Pods</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.name} data-cluster={c.name}>
                <th scope="row">
                  <a href={`#cluster-${c.name}`}>{c.name}</a>
                </th>
                <td class="ready">
                  <Badge badge={readyBadge(c.ready)} title={[c.readyReason, c.readyMessage].filter(Boolean).join(': ')} />
                </td>
                <td>{c.syncMode}</td>
                <td>{c.kubernetesVersion ?? '—'}</td>
                <td>
                  {c.nodes.ready} / {c.nodes.total}
                </td>
                <td>{usageText(c.allocated.cpu, c.allocatable.cpu)}</td>
                <td>{usageText(c.allocated.memory, c.allocatable.memory)}</td>
                <td>{usageText(c.allocated.pods, c.allocatable.pods)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.map((c) => (
        <ClusterSection key={c.name} c={c} />
      ))}
    </Page>
  );
}

function ClusterSection({ c }: { c: ClusterView }) {
  const badge = readyBadge(c.ready);
  return (
    <section class="card" id={`cluster-${c.name}`} aria-labelledby={`cluster-${c.name}-h`}>
      <h2 id={`cluster-${c.name}-h`}>
        {c.name} <Badge badge={badge} />
      </h2>
      <dl class="facts">
        <dt>Ready</dt>
        <dd>
          {badge.text}
          {c.readyReason ? ` (${c.readyReason})` : ''}
          {c.readyMessage ? `: ${c.readyMessage}` : ''}
        </dd>
        <dt>Sync mode</dt>
        <dd>{c.syncMode}</dd>
        <dt>Kubernetes</dt>
        <dd>{c.kubernetesVersion ?? 'unknown'}</dd>
        <dt>Nodes</dt>
        <dd>
          {c.nodes.ready} ready of {c.nodes.total}
        </dd>
      </dl>
      <div class="split">
        <table class="grid">
          <caption>Capacity of {c.name}</caption>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Allocated</th>
              <th scope="col">Allocatable</th>
              <th scope="col">Used</th>
            </tr>
          </thead>
          <tbody>
            {resourceNames.map(([k, label]) => (
              <tr key={k}>
                <th scope="row">{label}</th>
                <td>{c.allocated[k]?.text ?? '0'}</td>
                <td>{c.allocatable[k]?.text ?? '0'}</td>
                <td>{pctText(percentOf(c.allocated[k], c.allocatable[k]))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <CapacityChart cluster={c.name} allocatable={c.allocatable} allocated={c.allocated} />
      </div>
      <h3>Taints</h3>
      {c.taints.length === 0 ? (
        <p>No taints.</p>
      ) : (
        <ul class="taints">
          {c.taints.map((t) => (
            <li key={`${t.key}:${t.effect}`}>
              <code>
                {t.key}
                {t.value ? `=${t.value}` : ''}:{t.effect}
              </code>
            </li>
          ))}
        </ul>
      )}
      <h3>Ready transitions</h3>
      {c.readyTransitions.length === 0 ? (
        <p>None observed.</p>
      ) : (
        <ol class="timeline">
          {c.readyTransitions.map((t, i) => (
            <li key={i}>
              <time dateTime={t.time}>{formatTime(t.time)}</time> <Badge badge={readyBadge(t.status)} />
              {t.reason ? ` ${t.reason}` : ''}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const pctText = (p: number | undefined) => (p === undefined ? '—' : `${p}%`);
