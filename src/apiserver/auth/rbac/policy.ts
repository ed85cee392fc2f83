// RBAC inside the API server: watch-fed copies of Roles, ClusterRoles and their bindings for the
// authorizer, the bootstrap policy written at start-up (kube-apiserver's rbac/bootstrap-roles
// post-start hook), and the ClusterRole aggregation controller.
import type { KubeObject } from '../../../apimachinery/types.js';
import { isAlreadyExists, isNotFound } from '../../../apimachinery/errors.js';
import type { ResourceRegistry } from '../../registry/resources.js';
import { internalContext } from '../../rest/context.js';
import type { ObjectStore } from '../../rest/object-store.js';
import { Mirror } from '../mirror.js';
import { newControllerManagedBy } from '../../../runtime/builder.js';
import type { Manager } from '../../../runtime/controller.js';
import { aggregationUpdates, type AggregatedRole } from './aggregation.js';
import type { BindingObject, RbacObjects, RoleObject } from './authorizer.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap.js';

const rbacGroup = 'rbac.authorization.k8s.io';
const AggregationControllerName = 'clusterrole-aggregation-controller';

export class RbacPolicy implements RbacObjects {
  private readonly roles: Mirror<RoleObject>;
  private readonly clusterRoles: Mirror<RoleObject>;
  private readonly bindings: Mirror<BindingObject>;
  private readonly clusterBindings: Mirror<BindingObject>;
  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly manager: Manager,
    /** run the aggregation controller in this process */
    private readonly aggregate: boolean,
  ) {
    const def = (resource: string) => registry.versionsOf(rbacGroup, resource)[0]!;
    this.roles = new Mirror(manager, objects, def('roles'));
    this.clusterRoles = new Mirror(manager, objects, def('clusterroles'));
    this.bindings = new Mirror(manager, objects, def('rolebindings'));
    this.clusterBindings = new Mirror(manager, objects, def('clusterrolebindings'));
  }

  /** writes the bootstrap policy, then resolves once the copies have listed */
  async start(): Promise<void> {
    await this.ensureBootstrapPolicy();
    if (this.aggregate) this.registerAggregation();
    await Promise.all([this.roles, this.clusterRoles, this.bindings, this.clusterBindings].map((m) => m.synced()));
  }

  /**
   * kube-controller-manager's clusterrole-aggregation controller: every ClusterRole change looks
   * again at each aggregated ClusterRole, which is written when its rules differ
   */
  private registerAggregation(): void {
    const aggregating = (o: KubeObject | RoleObject) => !!(o as AggregatedRole).aggregationRule;
    const def = this.registry.versionsOf(rbacGroup, 'clusterroles')[0]!;
    newControllerManagedBy(this.manager, AggregationControllerName)
      .for(this.clusterRoles.informer, { filter: aggregating })
      .watches(this.clusterRoles.informer, () => this.clusterRoles.all().filter(aggregating).map((r) => r.metadata.name!))
      .backoff(200, 10_000)
      .complete(async (name) => {
        const update = aggregationUpdates(this.clusterRoles.all()).find((u) => u.name === name);
        if (!update) return;
        await this.objects.guaranteedUpdate(def, undefined, name, internalContext(AggregationControllerName), (cur: KubeObject) => ({ ...cur, rules: update.rules })).catch((err) => {
          if (!isNotFound(err)) throw err; // a ClusterRole gone since is nothing to retry
        });
      });
  }

  clusterRole(name: string): RoleObject | undefined {
    return this.clusterRoles.get(undefined, name);
  }

  role(namespace: string, name: string): RoleObject | undefined {
    return this.roles.get(namespace, name);
  }

  clusterRoleBindings(): Iterable<BindingObject> {
    return this.clusterBindings.inNamespace(undefined);
  }

  roleBindings(namespace: string): Iterable<BindingObject> {
    return this.bindings.inNamespace(namespace);
  }

  /** creates the default roles and bindings that are missing (existing ones are the admin's to change) */
  private async ensureBootstrapPolicy(): Promise<void> {
    const create = async (resource: string, obj: KubeObject) => {
      try {
        await this.objects.create(this.registry.versionsOf(rbacGroup, resource)[0], undefined, obj, internalContext('kube-apiserver'));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    };
    for (const r of bootstrapClusterRoles()) await create('clusterroles', r);
    for (const b of bootstrapClusterRoleBindings()) await create('clusterrolebindings', b);
  }

}
