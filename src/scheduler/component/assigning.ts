// The bindings this scheduler wrote a moment ago (Karmada's AssigningResourceBindingCache): until the
// informer shows a write, the written copy stands in for the cached one, so bindings of one workload
// affinity group scheduled back to back see each other's clusters.

const MaxEntries = 10_000;

interface Versioned {
  metadata: { namespace?: string; name?: string; resourceVersion?: string };
}

function keyOf(o: Versioned): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

/** resourceversion.CompareResourceVersion for the decimal versions our stores hand out */
function compareResourceVersions(a: string | undefined, b: string | undefined): number {
  const x = BigInt(/^\d+$/.test(a ?? '') ? a! : '0');
  const y = BigInt(/^\d+$/.test(b ?? '') ? b! : '0');
  return x === y ? 0 : x > y ? 1 : -1;
}

export class AssigningCache<T extends Versioned = Versioned> {
  private readonly written = new Map<string, T>();

  remember(obj: T): void {
    const key = keyOf(obj);
    this.written.delete(key);
    this.written.set(key, obj);
    // the oldest writes go first: by then the informer has long caught up with them
    if (this.written.size > MaxEntries) this.written.delete(this.written.keys().next().value!);
  }

  /** each cached object, or the written copy where it is newer; written copies the cache has caught up with are dropped */
  freshest<U extends T>(cached: U[]): U[] {
    return cached.map((c) => {
      const key = keyOf(c);
      const w = this.written.get(key);
      if (!w) return c;
      if (compareResourceVersions(w.metadata.resourceVersion, c.metadata.resourceVersion) > 0) return w as U;
      this.written.delete(key);
      return c;
    });
  }
}
