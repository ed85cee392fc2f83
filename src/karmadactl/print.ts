// Printing Tables from several clusters as Karmada's `karmadactl get` does: kubectl's column layout
// (tabwriter, minwidth 6, padding 3), a CLUSTER column after NAME ("Karmada" for the control plane)
// and an ADOPTION column last (Y: managed by Karmada, N: not, -: a control-plane object), which for
// pods only shows with -o wide (pkg/karmadactl/get: podColumns, setNoAdoption).
import type { Table, TableColumnDefinition } from '../apis/tables/table.js';
import { isManagedByKarmada } from '../controllers/execution/manifest.js';

export const controlPlaneClusterName = 'Karmada';

export interface ClusterTable {
  cluster: string;
  controlPlane: boolean;
  table: Table;
}

interface PrintOptions {
  wide?: boolean;
  allNamespaces?: boolean;
  /** prefix names with kind.group/ (several types requested) */
  withKind?: string;
  noHeaders?: boolean;
  /** the resource is pods: ADOPTION only with -o wide */
  pods?: boolean;
  /** --show-labels: a LABELS column last (k=v,k=v or <none>) */
  showLabels?: boolean;
  /** -L: one column per label key, headed by its last path segment */
  labelColumns?: string[];
}

/** kubectl's tabwriter layout: every column but the last padded to max(6, widest + 3) */
export function tabulate(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => i < r.length - 1 && (widths[i] = Math.max(widths[i] ?? 6, c.length + 3)));
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('') + '\n').join('');
}

/** a cell as kubectl prints it */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** one resource type's rows from every cluster, as one table's lines */
export function formatClusterTables(tables: ClusterTable[], opts: PrintOptions = {}): string[][] {
  const first = tables.find((t) => t.table.columnDefinitions.length > 0)?.table;
  if (!first) return [];
  const visible = (c: TableColumnDefinition) => opts.wide || !c.priority;
  const cols = first.columnDefinitions;
  const keep = cols.map(visible);
  const showAdoption = !opts.pods || !!opts.wide;
  const header = [
    ...(opts.allNamespaces ? ['NAMESPACE'] : []),
    cols[0]!.name.toUpperCase(),
    'CLUSTER',
    ...cols.slice(1).filter((_, i) => keep[i + 1]).map((c) => c.name.toUpperCase()),
    ...(showAdoption ? ['ADOPTION'] : []),
    ...(opts.labelColumns ?? []).map((l) => l.split('/').pop()!.toUpperCase()),
    ...(opts.showLabels ? ['LABELS'] : []),
  ];
  const lines: string[][] = opts.noHeaders ? [] : [header];
  for (const t of tables) {
    for (const row of t.table.rows) {
      const cells = row.cells.map(cellText);
      const name = opts.withKind ? `${opts.withKind}/${cells[0]}` : cells[0]!;
      const adoption = t.controlPlane ? '-' : row.object && isManagedByKarmada(row.object) ? 'Y' : 'N';
      lines.push([
        ...(opts.allNamespaces ? [row.object?.metadata?.namespace ?? ''] : []),
        name,
        t.cluster,
        ...cells.slice(1).filter((_, i) => keep[i + 1] ?? true),
        ...(showAdoption ? [adoption] : []),
        ...(opts.labelColumns ?? []).map((l) => row.object?.metadata?.labels?.[l] ?? ''),
        ...(opts.showLabels ? [labelsText(row.object?.metadata?.labels)] : []),
      ]);
    }
  }
  return lines;
}

/** kubectl's LABELS cell: sorted k=v pairs, or <none> */
function labelsText(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}
