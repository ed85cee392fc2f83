// The dashboard's entry: header (who am I), navigation, and the page the path names.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import './style.css';
import { useOnce } from './lib/api.js';
import { parseRoute } from './lib/route.js';
import { useLocation } from './lib/router.js';
import type { WhoAmI } from './lib/types.js';
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
  const me = useOnce<WhoAmI>('/ui/v1/whoami');
  if (me.error) return <span class="who">Signed in: unknown ({me.error})</span>;
  if (!me.data) return <span class="who">…</span>;
  const groups = (me.data.groups ?? []).join(', ');
  return (
    <span class="who" id="whoami" title={groups ? `groups: ${groups}` : undefined}>
      Signed in as <strong>{me.data.user}</strong>
      {groups && <span class="muted"> (groups: {groups})</span>}
    </span>
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
