// RBAC inside the API server: watch-fed copies of Roles, ClusterRoles and their bindings for the
// authorizer, the bootstrap policy written at start-up (kube-apiserver's rbac/bootstrap-roles
// post-start hook), and the ClusterRole aggregation controller.
import type { KubeObject } from '../../../apimachinery/types.js';
import { isStatusError } from '../../../apimachinery/errors.js';
import type { ResourceRegistry } from '../../registry/resources.js';
import { internalContext } from '../../rest/context.js';
import type { ObjectStore } from '../../rest/object-store.js';
import { Mirror } from '../mirror.js';
import { SyncLoop } from '../sync-loop.js';
import { aggregationUpdates } from './aggregation.js';
import type { BindingObject, RbacObjects, RoleObject } from './authorizer.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap.js';

const rbacGroup = 'rbac.authorization.k8s.io';

export class RbacPolicy implements RbacObjects {
  private readonly roles: Mirror<RoleObject>;
  private readonly clusterRoles: Mirror<RoleObject>;
  private readonly bindings: Mirror<BindingObject>;
  private readonly clusterBindings: Mirror<BindingObject>;
  private readonly aggregation = new SyncLoop(async (stopped) => {
    let complete = true;
    const def = this.registry.versionsOf(rbacGroup, 'clusterroles')[0];
    for (const u of aggregationUpdates([...this.clusterRoles.all()])) {
      if (stopped()) break;
      const written = await this.objects
        .guaranteedUpdate(def, undefined, u.name, internalContext('clusterrole-aggregation-controller'), (cur: KubeObject) => ({ ...cur, rules: u.rules }))
        .then(() => true, (err) => isStatusError(err, 'NotFound')); // a ClusterRole gone since is nothing to retry
      complete = written && complete;
    }
    return complete;
  });

  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    /** run the aggregation controller in this process */
    private readonly aggregate: boolean,
  ) {
    const def = (resource: string) => () => registry.versionsOf(rbacGroup, resource)[0];
    this.roles = new Mirror(objects, def('roles'));
    this.clusterRoles = new Mirror(objects, def('clusterroles'));
    this.bindings = new Mirror(objects, def('rolebindings'));
    this.clusterBindings = new Mirror(objects, def('clusterrolebindings'));
  }

  async start(): Promise<void> {
    await this.ensureBootstrapPolicy();
    await Promise.all([this.roles.start(), this.clusterRoles.start(), this.bindings.start(), this.clusterBindings.start()]);
    if (this.aggregate) {
      this.clusterRoles.onChange(() => void this.aggregation.trigger());
      await this.aggregation.trigger();
    }
  }

  stop(): void {
    this.aggregation.stop();
    for (const m of [this.roles, this.clusterRoles, this.bindings, this.clusterBindings]) m.stop();
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
        if (!isStatusError(err, 'AlreadyExists')) throw err;
      }
    };
    for (const r of bootstrapClusterRoles()) await create('clusterroles', r);
    for (const b of bootstrapClusterRoleBindings()) await create('clusterrolebindings', b);
  }

}
