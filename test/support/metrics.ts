// Reading a component's own metrics in tests: an observable signal that work happened (a reconcile
// round ran), so "nothing changed" is asserted after the controller looked, not after a sleep.
import type { Registry } from 'prom-client';

/** controller_runtime_reconcile_total of one controller, over every result */
export async function reconcileCount(registry: Registry, controller: string): Promise<number> {
  const metric = registry.getSingleMetric('controller_runtime_reconcile_total');
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => v.labels.controller === controller).reduce((n, v) => n + v.value, 0);
}

/** resolves once `controller` has finished `rounds` more reconciles than when called */
export async function reconcileRounds(registry: Registry, controller: string, rounds: number, timeoutMs = 30_000): Promise<void> {
  const start = await reconcileCount(registry, controller);
  const deadline = Date.now() + timeoutMs;
  while ((await reconcileCount(registry, controller)) < start + rounds) {
    if (Date.now() > deadline) throw new Error(`${controller}: fewer than ${rounds} reconciles in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
