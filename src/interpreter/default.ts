// The interpreter controllers use: Karmada's chain of interpreters, asked in precedence order
// (resourceinterpreter.go): declarative ResourceInterpreterCustomization (Lua) first, then
// webhooks, then third-party built-in customizations, then the native rules. For each question
// the first layer whose hookEnabled says yes answers; the native layer answers the rest.
import type { GroupVersionKind, KubeObject } from '../apimachinery/types.js';
import type { AggregatedStatusItem } from '../apis/karmada/binding.js';
import { createNativeInterpreter, type NativeOptions } from './native/index.js';
import { retainMemberMetadata } from './native/retain.js';
import { isInterpretationPending } from './webhook/layer.js';
import {
  gvkOf,
  type ComponentRequirements,
  InterpreterOperation,
  type DependentObjectReference,
  type InterpreterLayer,
  type ReflectedStatus,
  type ReplicaResult,
  type RequestAttributes,
  type ResourceHealth,
  type ResourceInterpreter,
} from './types.js';

/** The replaceable layers, highest precedence first. */
export const layerOrder = ['customization', 'webhook', 'thirdparty'] as const;
export type LayerName = (typeof layerOrder)[number];

/** Told of each health interpretation, e.g. to record Karmada's InterpretHealth events. */
type HealthObserver = (obj: KubeObject, health: ResourceHealth, error?: unknown) => void;

export interface DefaultInterpreterOptions extends NativeOptions {
  customization?: InterpreterLayer;
  webhook?: InterpreterLayer;
  thirdparty?: InterpreterLayer;
  onHealth?: HealthObserver;
}

export class DefaultInterpreter implements ResourceInterpreter {
  private readonly layers = new Map<LayerName, InterpreterLayer>();
  private readonly native: ResourceInterpreter;

  /** set by the controller manager to record events; never affects the answer */
  onHealth?: HealthObserver;

  constructor(opts: DefaultInterpreterOptions = {}) {
    this.native = createNativeInterpreter(opts);
    this.onHealth = opts.onHealth;
    for (const name of layerOrder) {
      const layer = opts[name];
      if (layer) this.layers.set(name, layer);
    }
  }

  /** Installs or removes a layer, e.g. when the set of customizations changes. */
  setLayer(name: LayerName, layer: InterpreterLayer | undefined): void {
    if (layer) this.layers.set(name, layer);
    else this.layers.delete(name);
  }

  /** The layer that answers `operation` for this kind. */
  private pick(gvk: GroupVersionKind, operation: InterpreterOperation): ResourceInterpreter {
    for (const name of layerOrder) {
      const layer = this.layers.get(name);
      if (layer?.hookEnabled(gvk, operation)) return layer;
    }
    return this.native;
  }

  /**
   * For callers that can await: when the layer answering this question calls out (a webhook),
   * waits for its answer, so the synchronous call that follows finds it. Never rejects.
   */
  async prefetch(a: RequestAttributes): Promise<void> {
    const layer = this.pick(gvkOf(a.object), a.operation) as ResourceInterpreter & { prefetch?: (a: RequestAttributes) => Promise<void> };
    await layer.prefetch?.(a);
  }

  hookEnabled(gvk: GroupVersionKind, operation: InterpreterOperation): boolean {
    return layerOrder.some((name) => this.layers.get(name)?.hookEnabled(gvk, operation)) || this.native.hookEnabled(gvk, operation);
  }

  getReplicas(obj: KubeObject): ReplicaResult {
    return this.pick(gvkOf(obj), InterpreterOperation.InterpretReplica).getReplicas(obj);
  }

  reviseReplica(obj: KubeObject, replicas: number): KubeObject {
    return this.pick(gvkOf(obj), InterpreterOperation.ReviseReplica).reviseReplica(obj, replicas);
  }

  retain(desired: KubeObject, observed: KubeObject): KubeObject {
    return this.pick(gvkOf(desired), InterpreterOperation.Retain).retain(desired, observed);
  }

  aggregateStatus(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
    return this.pick(gvkOf(obj), InterpreterOperation.AggregateStatus).aggregateStatus(obj, items);
  }

  reflectStatus(obj: KubeObject): ReflectedStatus | undefined {
    return this.pick(gvkOf(obj), InterpreterOperation.InterpretStatus).reflectStatus(obj);
  }

  /**
   * A health rule that fails (a broken script) gives Unknown, as the work status controller does;
   * a webhook answer still on its way is thrown (InterpretationPending), so the caller asks again.
   */
  interpretHealth(obj: KubeObject): ResourceHealth {
    let health: ResourceHealth;
    let error: unknown;
    try {
      health = this.pick(gvkOf(obj), InterpreterOperation.InterpretHealth).interpretHealth(obj);
    } catch (err) {
      if (isInterpretationPending(err)) throw err;
      health = 'Unknown';
      error = err;
    }
    if (this.onHealth) {
      try {
        this.onHealth(obj, health, error);
      } catch {
        // an observer's failure is not the interpretation's
      }
    }
    return health;
  }

  healthHint(obj: KubeObject): ResourceHealth {
    return this.pick(gvkOf(obj), InterpreterOperation.InterpretHealth).interpretHealth(obj);
  }

  getDependencies(obj: KubeObject): DependentObjectReference[] {
    return this.pick(gvkOf(obj), InterpreterOperation.InterpretDependency).getDependencies(obj);
  }

  /** no native kind has components: only a layer with a componentResource rule answers */
  getComponents(obj: KubeObject): ComponentRequirements[] {
    return this.pick(gvkOf(obj), InterpreterOperation.InterpretComponent).getComponents?.(obj) ?? [];
  }
}

export function createDefaultInterpreter(opts: DefaultInterpreterOptions = {}): DefaultInterpreter {
  return new DefaultInterpreter(opts);
}

/**
 * objectwatcher.retainClusterFields: what the execution controller applies when a Work's
 * manifest updates an existing member object. Member-owned metadata first, then the kind's
 * Retain rule when one is enabled.
 */
export function retainClusterFields(interpreter: ResourceInterpreter, desired: KubeObject, observed: KubeObject): KubeObject {
  const withMeta = retainMemberMetadata(desired, observed);
  return interpreter.hookEnabled(gvkOf(desired), InterpreterOperation.Retain) ? interpreter.retain(withMeta, observed) : withMeta;
}
