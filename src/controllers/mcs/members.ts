// The member-side objects the collecting controllers read (Karmada's per-cluster informer managers
// of service-export and endpointslice-collect): EndpointSlices and ServiceExports of each member,
// one shared informer per member and resource, started once a Work says the member needs them.
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { endpointSliceGVR } from '../../apis/builtin/gvr.js';
import { serviceExportGVR } from '../../apis/karmada/gvr.js';
import type { GroupVersionResource, KubeClient } from '../../runtime/client.js';
import type { Informer } from '../../runtime/informer.js';
import type { ControllerContext } from '../context.js';

type MemberResource = 'endpointslices' | 'serviceexports';
const gvrs: Record<MemberResource, GroupVersionResource> = { endpointslices: endpointSliceGVR, serviceexports: serviceExportGVR };
type MemberListener = (cluster: string, resource: MemberResource, obj: KubeObject) => void;

export class MemberInformers {
  private readonly byCluster = new Map<string, { client: KubeClient; informers: Map<MemberResource, Informer> }>();
  private readonly listeners: MemberListener[] = [];

  constructor(private readonly ctx: Pick<ControllerContext, 'manager' | 'members'>) {
    ctx.members.onReplaced((cluster, old) => {
      if (this.byCluster.get(cluster)?.client === old) this.byCluster.delete(cluster);
    });
  }

  /** every add, update and delete of a watched member object */
  subscribe(l: MemberListener): void {
    this.listeners.push(l);
  }

  /** the member's informer of a resource, started (with our handlers) the first time */
  async informer(cluster: Cluster & KubeObject, resource: MemberResource): Promise<Informer> {
    const name = cluster.metadata.name;
    const client = await this.ctx.members.forCluster(cluster);
    let entry = this.byCluster.get(name);
    if (!entry || entry.client !== client) this.byCluster.set(name, (entry = { client, informers: new Map() }));
    let inf = entry.informers.get(resource);
    if (!inf) {
      inf = this.ctx.manager.informer(client, gvrs[resource]);
      const emit = (obj: KubeObject) => {
        for (const l of this.listeners) l(name, resource, obj);
      };
      inf.addHandlers({ onAdd: emit, onUpdate: emit, onDelete: emit });
      entry.informers.set(resource, inf);
    }
    return inf;
  }

  /** the informer if it was started and has listed (undefined otherwise) */
  synced(cluster: string, resource: MemberResource): Informer | undefined {
    const inf = this.byCluster.get(cluster)?.informers.get(resource);
    return inf?.hasSynced ? inf : undefined;
  }
}

const perManager = new WeakMap<object, MemberInformers>();

/** the one MemberInformers of a controller manager (shared by ServiceExport and MultiClusterService collection) */
export function memberInformers(ctx: Pick<ControllerContext, 'manager' | 'members'>): MemberInformers {
  let m = perManager.get(ctx.manager);
  if (!m) perManager.set(ctx.manager, (m = new MemberInformers(ctx)));
  return m;
}
