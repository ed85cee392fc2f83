// Talking to the dashboard server: one-shot GETs and live documents over Server-Sent Events
// (`event: snapshot` then `event: update`, the server's informers push; the UI never polls).
import { useEffect, useState } from 'preact/hooks';
import type { Status } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** a Status (or any body) turned into one readable line */
async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const s = JSON.parse(text) as Status;
    if (s.message) return new ApiError(res.status, s.message);
  } catch {
    /* not JSON: the text itself */
  }
  return new ApiError(res.status, `${res.status} ${res.statusText}${text ? `: ${text.slice(0, 300)}` : ''}`);
}

export async function getJSON<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin', signal });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

export async function getText(url: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(url, { credentials: 'same-origin', signal });
  if (!res.ok) throw await errorOf(res);
  return res.text();
}

export interface Live<T> {
  data?: T;
  error?: string;
  /** connected and receiving updates; false while (re)connecting */
  live: boolean;
  /** how many documents arrived (the snapshot counts as 1) */
  updates: number;
}

/**
 * opens a live document: `onDoc` gets the snapshot, then every update the server pushes. When the
 * stream fails for good (401, 404, ...) the same URL is fetched once so the server's Status is shown.
 * Returns the close function.
 */
export function openLive<T>(url: string, on: { doc(data: T): void; state(live: boolean, error?: string): void }): () => void {
  const es = new EventSource(url, { withCredentials: true });
  const ac = new AbortController();
  const onDoc = (ev: MessageEvent<string>) => {
    let data: T;
    try {
      data = JSON.parse(ev.data) as T;
    } catch (err) {
      on.state(true, `the server sent a document that is not JSON: ${(err as Error).message}`);
      return;
    }
    on.doc(data);
  };
  es.addEventListener('snapshot', onDoc as EventListener);
  es.addEventListener('update', onDoc as EventListener);
  es.addEventListener('open', () => on.state(true));
  es.addEventListener('error', () => {
    if (es.readyState !== EventSource.CLOSED) return on.state(false);
    getJSON<T>(url, ac.signal).then(
      (data) => {
        on.doc(data);
        on.state(false, 'live updates stopped; this is the last document');
      },
      (err: Error) => !ac.signal.aborted && on.state(false, err.message),
    );
  });
  return () => {
    ac.abort();
    es.close();
  };
}

/** a live document as component state; url undefined = nothing yet */
export function useLive<T>(url: string | undefined): Live<T> {
  const [state, setState] = useState<Live<T>>({ live: false, updates: 0 });
  useEffect(() => {
    setState({ live: false, updates: 0 });
    if (!url) return;
    return openLive<T>(url, {
      doc: (data) => setState((s) => ({ ...s, data, updates: s.updates + 1 })),
      state: (live, error) => setState((s) => ({ ...s, live, error })),
    });
  }, [url]);
  return state;
}

/** a document fetched once per url */
export function useOnce<T>(url: string | undefined): { data?: T; error?: string } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    setState({});
    if (!url) return;
    const ac = new AbortController();
    getJSON<T>(url, ac.signal).then(
      (data) => setState({ data }),
      (err: Error) => !ac.signal.aborted && setState({ error: err.message }),
    );
    return () => ac.abort();
  }, [url]);
  return state;
}
