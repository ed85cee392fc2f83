// Who the dashboard reads as (GET /ui/v1/whoami), fetched once per page load and shared by the
// header and the pages that say what this identity may not read.
import { useEffect, useState } from 'preact/hooks';
import { getJSON } from './api.js';
import type { WhoAmI } from './types.js';

let once: Promise<WhoAmI> | undefined;

export function useWhoAmI(): { data?: WhoAmI; error?: string } {
  const [state, setState] = useState<{ data?: WhoAmI; error?: string }>({});
  useEffect(() => {
    once ??= getJSON<WhoAmI>('/ui/v1/whoami');
    let live = true;
    once.then(
      (data) => live && setState({ data }),
      (err: Error) => {
        once = undefined;
        if (live) setState({ error: err.message });
      },
    );
    return () => void (live = false);
  }, []);
  return state;
}

/** why this identity cannot read `resource` (the first forbidden one of them), or undefined */
export function forbiddenReason(me: WhoAmI | undefined, ...resources: string[]): string | undefined {
  for (const r of resources) {
    const a = me?.access?.[r];
    if (a?.startsWith('forbidden')) return a.replace(/^forbidden:\s*/, '');
  }
  return undefined;
}
