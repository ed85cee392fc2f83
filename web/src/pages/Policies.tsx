// Policies page: each PropagationPolicy / ClusterPropagationPolicy, its priority and preemption, the
// templates it claims and the conflicts it is in (Karmada's policy priority and preemption rules).
import { useLive } from '../lib/api.js';
import type { PolicyList, PolicyView } from '../lib/types.js';
import { ErrorBox, LiveMarker, Loading, Notice, Page } from '../components/ui.js';
import { forbiddenReason, useWhoAmI } from '../lib/whoami.js';

/** "PropagationPolicy default/web", "Deployment default/web": kind, then namespace/name */
const refText = (p: Pick<PolicyView, 'kind' | 'namespace' | 'name'>) => `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
const policyName = refText;

export function PoliciesPage() {
  const live = useLive<PolicyList>('/ui/v1/policies');
  const items = live.data?.items ?? [];
  const conflicts = items.flatMap((p) => p.conflicts.map((c) => ({ ...c, policy: policyName(p) })));
  const me = useWhoAmI();
  const forbidden = forbiddenReason(me.data, 'propagationpolicies', 'clusterpropagationpolicies');
  return (
    <Page title="Policies">
      <LiveMarker live={live.live} updates={live.updates} />
      <ErrorBox error={live.error} />
      {forbidden && <Notice>Some policies are hidden from this identity: {forbidden}</Notice>}
      {!live.data && !live.error && <Loading what="policies" />}
      {live.data && (
        <>
          <table class="grid" id="policies-table">
            <caption>
              {items.length} polic{items.length === 1 ? 'y' : 'ies'} and the templates each one claims
            </caption>
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Priority</th>
                <th scope="col">Preemption</th>
                <th scope="col">Conflict resolution</th>
                <th scope="col">Claims</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={policyName(p)}>
                  <th scope="row">{policyName(p)}</th>
                  <td>{p.priority ?? 0}</td>
                  <td>{p.preemption ?? 'Never'}</td>
                  <td>{p.conflictResolution ?? 'Abort'}</td>
                  <td>
                    {p.claims.length === 0 ? (
                      'none'
                    ) : (
                      <ul class="plain">
                        {p.claims.map((c) => (
                          <li key={refText(c)}>{refText(c)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Conflicts and preemption</h2>
          {conflicts.length === 0 ? (
            <p>No template is selected by more than one policy.</p>
          ) : (
            <table class="grid" id="conflicts-table">
              <caption>Templates more than one policy selects, and which policy wins</caption>
              <thead>
                <tr>
                  <th scope="col">Template</th>
                  <th scope="col">Policy</th>
                  <th scope="col">Other policy</th>
                  <th scope="col">Winner</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {conflicts.map((c, i) => (
                  <tr key={i}>
                    <th scope="row">{refText(c.template)}</th>
                    <td>{c.policy}</td>
                    <td>{refText(c.otherPolicy)}</td>
                    <td>{refText(c.winner)}</td>
                    <td>{c.reason ?? ''}</td>
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
