// A small history router: the current location as state, navigation by pushState, and focus moved
// to the new page's heading so keyboard and screen-reader users land on it.
import { useEffect, useState } from 'preact/hooks';

export interface Loc {
  path: string;
  search: URLSearchParams;
}

const current = (): Loc => ({ path: location.pathname, search: new URLSearchParams(location.search) });
const listeners = new Set<() => void>();
addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(href: string, opts: { replace?: boolean } = {}): void {
  if (href === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  listeners.forEach((l) => l());
  if (!opts.replace) requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
}

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const l = () => setLoc(current());
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return loc;
}
