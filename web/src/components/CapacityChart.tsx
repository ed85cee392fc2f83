// A cluster's allocated vs allocatable CPU, memory, pods and GPUs as one stacked Chart.js bar per
// resource (percent of allocatable); the numbers are also in the table beside it.
import { useEffect, useRef } from 'preact/hooks';
import type { Chart } from 'chart.js';
import { percentOf, usageText } from '../lib/format.js';
import type { Resources } from '../lib/types.js';

/** Chart.js is loaded with the first chart, so the other pages do not carry it */
let chartJs: Promise<typeof Chart> | undefined;
const loadChart = () =>
  (chartJs ??= import('./chartjs.js').then((m) => m.Chart));

export const resourceNames = [
  ['cpu', 'CPU'],
  ['memory', 'Memory'],
  ['pods', 'Pods'],
  ['gpu', 'GPU'],
] as const;

export function CapacityChart({ cluster, allocatable, allocated }: { cluster: string; allocatable: Resources; allocated: Resources }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'>>();
  const used = resourceNames.map(([k]) => percentOf(allocated[k], allocatable[k]) ?? 0);
  const summary = resourceNames.map(([k, label]) => `${label} ${usageText(allocated[k], allocatable[k])}`).join('; ');

  const usedRef = useRef(used);
  usedRef.current = used;
  useEffect(() => {
    let gone = false;
    void loadChart().then((ChartJs) => {
      if (gone || !canvas.current) return;
      const used = usedRef.current;
      chart.current = new ChartJs(canvas.current, {
        type: 'bar',
        data: {
          labels: resourceNames.map(([, l]) => l),
          datasets: [
            { label: 'Allocated %', data: used, backgroundColor: '#1f4e8c', borderColor: '#1f4e8c', borderWidth: 1 },
            { label: 'Free %', data: used.map((u) => Math.max(0, 100 - u)), backgroundColor: '#e6ecf5', borderColor: '#1f4e8c', borderWidth: 1 },
          ],
        },
        options: {
          indexAxis: 'y',
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: { x: { stacked: true, min: 0, max: 100, ticks: { callback: (v) => `${v}%` } }, y: { stacked: true } },
          plugins: { legend: { position: 'bottom' }, tooltip: { enabled: true } },
        },
      });
    });
    return () => {
      gone = true;
      chart.current?.destroy();
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.datasets[0].data = used;
    c.data.datasets[1].data = used.map((u) => Math.max(0, 100 - u));
    c.update('none');
  }, [used.join(',')]);

  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={`Capacity of ${cluster}: ${summary}`} />
    </div>
  );
}
