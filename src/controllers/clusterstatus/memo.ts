// Per cluster, the last value computed and the inputs' versions it was computed from: a status
// round whose inputs did not change reuses it (Karmada recomputes its summaries every round; the
// values are the same, only the CPU is saved).
export class LastComputed<T> {
  private readonly byCluster = new Map<string, { inputs: readonly unknown[]; value: T }>();

  /** the value for these inputs (compared with ===): the remembered one when they are the same as last time */
  get(cluster: string, inputs: readonly unknown[], compute: () => T): T {
    const hit = this.byCluster.get(cluster);
    if (hit && hit.inputs.length === inputs.length && hit.inputs.every((v, i) => v === inputs[i])) return hit.value;
    const value = compute();
    this.byCluster.set(cluster, { inputs, value });
    return value;
  }

  forget(cluster: string): void {
    this.byCluster.delete(cluster);
  }
}
