// Pure helpers that turn the server's documents into what a page shows: status words with a shape
// (never colour alone), capacity percentages, times, unified-diff lines and workload links.
import type { ConditionStatus, Health, Quantity, TimelineStep, WorkloadRow } from './types.js';

/** what a status shows: a word, a shape (aria-hidden; the word carries the meaning) and a tone for CSS */
export interface Badge {
  text: string;
  icon: string;
  tone: 'ok' | 'bad' | 'warn' | 'unknown';
}

/** a cluster's Ready condition as Karmada's `kubectl get clusters` READY column words it */
export function readyBadge(ready: ConditionStatus | undefined): Badge {
  if (ready === 'True') return { text: 'Ready', icon: '✔', tone: 'ok' };
  if (ready === 'False') return { text: 'NotReady', icon: '✖', tone: 'bad' };
  return { text: 'Unknown', icon: '?', tone: 'unknown' };
}

export function healthBadge(health: Health | undefined): Badge {
  switch (health) {
    case 'Healthy':
      return { text: 'Healthy', icon: '✔', tone: 'ok' };
    case 'Unhealthy':
      return { text: 'Unhealthy', icon: '✖', tone: 'bad' };
    case 'Progressing':
      return { text: 'Progressing', icon: '◐', tone: 'warn' };
    default:
      return { text: 'Unknown', icon: '?', tone: 'unknown' };
  }
}

export function stepBadge(status: TimelineStep['status']): Badge {
  if (status === 'done') return { text: 'done', icon: '✔', tone: 'ok' };
  if (status === 'failed') return { text: 'failed', icon: '✖', tone: 'bad' };
  return { text: 'pending', icon: '…', tone: 'warn' };
}

/** allocated as a whole percentage of allocatable; undefined when nothing is allocatable */
export function percentOf(allocated: Quantity | undefined, allocatable: Quantity | undefined): number | undefined {
  if (!allocatable || !(allocatable.value > 0)) return undefined;
  return Math.round(((allocated?.value ?? 0) / allocatable.value) * 100);
}

/** "2 / 8 (25%)", or "0 / 0" with no percentage when nothing is allocatable */
export function usageText(allocated: Quantity | undefined, allocatable: Quantity | undefined): string {
  const pct = percentOf(allocated, allocatable);
  return `${allocated?.text ?? '0'} / ${allocatable?.text ?? '0'}${pct === undefined ? '' : ` (${pct}%)`}`;
}

/** a timestamp as "2026-12-07 01:45:03Z" (UTC, so tests and screenshots read the same everywhere) */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** "3m20s ago" style age of a timestamp relative to `now` */
export function age(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  let s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  s %= 60;
  if (m < 60) return s ? `${m}m${s}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

export interface DiffLine {
  kind: 'add' | 'del' | 'ctx' | 'hunk' | 'file';
  /** the word a screen reader and a colour-blind reader get: added, removed */
  label: string;
  text: string;
}

/** a unified diff split into lines, each marked by what it is (the +/- stays in the text too) */
export function diffLines(diff: string): DiffLine[] {
  if (!diff) return [];
  const lines = diff.replace(/\n$/, '').split('\n');
  return lines.map((text): DiffLine => {
    if (text.startsWith('+++') || text.startsWith('---')) return { kind: 'file', label: '', text };
    if (text.startsWith('@@')) return { kind: 'hunk', label: '', text };
    if (text.startsWith('+')) return { kind: 'add', label: 'added', text };
    if (text.startsWith('-')) return { kind: 'del', label: 'removed', text };
    return { kind: 'ctx', label: '', text };
  });
}

/** how many lines a diff adds and removes */
export function diffStat(lines: DiffLine[]): { added: number; removed: number } {
  return { added: lines.filter((l) => l.kind === 'add').length, removed: lines.filter((l) => l.kind === 'del').length };
}

/** the group/version of an apiVersion: "apps/v1" -> [apps, v1], "v1" -> [core, v1] (the server's path words) */
export function groupVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['core', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

/** the workload page's path: /workloads/<group or core>/<version>/<kind>/<namespace or _>/<name> */
export function workloadPath(row: Pick<WorkloadRow, 'apiVersion' | 'kind' | 'namespace' | 'name'>): string {
  const [g, v] = groupVersion(row.apiVersion);
  return `/workloads/${[g, v, row.kind, row.namespace || '_', row.name].map(encodeURIComponent).join('/')}`;
}

/** "3 on member1, 2 on member2" */
export function placementText(clusters: WorkloadRow['clusters']): string {
  if (!clusters.length) return 'not placed';
  return clusters.map((c) => (c.replicas === undefined ? c.name : `${c.replicas} on ${c.name}`)).join(', ');
}

/** the query string for the workloads list (empty filters left out) */
export function workloadsQuery(filters: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
