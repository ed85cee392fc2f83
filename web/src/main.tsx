// The dashboard's entry: header (who am I), navigation, and the page the path names.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import './style.css';
import { useWhoAmI } from './lib/whoami.js';
import { parseRoute } from './lib/route.js';
import { useLocation } from './lib/router.js';
import { Link } from './components/ui.js';
import { ClustersPage } from './pages/Clusters.js';
import { FailoverPage } from './pages/Failover.js';
import { PoliciesPage } from './pages/Policies.js';
import { WorkloadPage } from './pages/Workload.js';
import { WorkloadsPage } from './pages/Workloads.js';

const nav = [
  ['/clusters', 'Clusters', (p: string) => p === '/' || p.startsWith('/clusters')],
  ['/workloads', 'Workloads', (p: string) => p.startsWith('/workloads')],
  ['/policies', 'Policies', (p: string) => p.startsWith('/policies')],
  ['/failover', 'Failover', (p: string) => p.startsWith('/failover')],
] as const;

function Who() {
  const me = useWhoAmI();
  if (me.error) return <span class="who">Signed in: unknown ({me.error})</span>;
  if (!me.data) return <span class="who">…</span>;
  const groups = me.data.groups ?? [];
  const access = Object.entries(me.data.access ?? {});
  const limited = access.filter(([, a]) => a !== 'all');
  return (
    <div class="who" id="whoami">
      <span>
        Signed in as <strong>{me.data.user}</strong>
      </span>
      <details class="access">
        <summary>{access.length === 0 ? 'Groups' : limited.length === 0 ? 'Groups · reads everything' : `Groups · limited reads (${limited.length} of ${access.length})`}</summary>
        <div class="access-panel">
          <p>Groups: {groups.join(', ') || 'none'}</p>
          {access.length > 0 && (
            <table class="grid">
              <caption>What this identity can read</caption>
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Access</th>
                </tr>
              </thead>
              <tbody>
                {access.map(([r, a]) => (
                  <tr key={r}>
                    <th scope="row">{r}</th>
                    <td>{a}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </details>
    </div>
  );
}

function App() {
  const loc = useLocation();
  const route = parseRoute(loc.path);
  const title = route.page === 'workload' ? route.name : route.page;
  useEffect(() => void (document.title = `${title} · karmada-ts dashboard`), [title]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">karmada-ts</span>
        <nav aria-label="Pages">
          <ul>
            {nav.map(([href, label, active]) => (
              <li key={href}>
                <Link href={href} aria-current={active(loc.path) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <Who />
      </header>
      <main id="main">
        {route.page === 'clusters' && <ClustersPage />}
        {route.page === 'workloads' && <WorkloadsPage loc={loc} />}
        {route.page === 'workload' && <WorkloadPage key={loc.path} route={route} />}
        {route.page === 'policies' && <PoliciesPage />}
        {route.page === 'failover' && <FailoverPage loc={loc} />}
        {route.page === 'notfound' && (
          <>
            <h1 tabIndex={-1}>Not found</h1>
            <p>
              No page at <code>{route.path}</code>. <Link href="/clusters">Go to the clusters</Link>.
            </p>
          </>
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
