// The bindings this scheduler wrote a moment ago (Karmada's AssigningResourceBindingCache): until the
// informer shows a write, the written copy stands in for the cached one, so bindings of one workload
// affinity group scheduled back to back see each other's clusters.
import type { KubeObject } from '../../apimachinery/types.js';
import { objectKey } from '../../runtime/informer.js';
import { RecentWrites } from '../../runtime/recent-writes.js';

export class AssigningCache<T extends KubeObject = KubeObject> {
  private readonly written = new RecentWrites<T>();

  remember(obj: T): void {
    this.written.remember(objectKey(obj), obj);
  }

  /** each cached object, or the written copy where it is newer; written copies the cache has caught up with are dropped */
  freshest<U extends T>(cached: U[]): U[] {
    return cached.map((c) => {
      const key = objectKey(c);
      const fresher = this.written.freshest(key, c);
      if (fresher === c) this.written.forget(key);
      return fresher;
    });
  }
}
