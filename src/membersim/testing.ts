// What the member simulator's own tests share: reads straight from a member's object store, and a
// wait for a condition that reports the member's controller errors when it times out.
import type { KubeObject } from '../apimachinery/types.js';
import type { SimulatedMember } from './member.js';

export function memberReads(member: () => SimulatedMember) {
  const def = (group: string, resource: string) => member().apiServer!.registry.versionsOf(group, resource)[0]!;
  /** the objects of a resource (in `ns`; nodes are cluster-scoped) */
  const list = async (group: string, resource: string, ns = 'default'): Promise<KubeObject[]> => (await member().apiServer!.objects.list(def(group, resource), resource === 'nodes' ? undefined : ns)).items;
  /** polls fn until it answers something truthy */
  async function until<T>(fn: () => Promise<T | undefined | false>, what: string, ms = 10_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn().catch(() => undefined);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out: ${what}; errors: ${JSON.stringify(member().errors())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { def, list, until };
}
