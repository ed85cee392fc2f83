// The host side of Karmada's Lua `kube` library (luavm/kube.go): resource quantity arithmetic
// and the pod template helpers, reusing the native interpreter's rules.
import { addQuantities, formatQuantity, parseQuantity, quantityToNumber, type Quantity } from '../../apimachinery/quantity.js';
import { podDependencies } from '../native/dependencies.js';
import { isObject, objAt, strAt } from '../native/object.js';
import { replicaRequirements, type ReplicaOptions } from '../native/replicas.js';

export type HostOptions = ReplicaOptions;

type HostFn = (args: unknown[], opts: HostOptions) => unknown;

/** checkResourceQuantity: nil is zero, a string must parse, anything else is a type error. */
function quantityArg(v: unknown, i: number): Quantity {
  if (v === null || v === undefined) return { nanos: 0n, format: 'DecimalSI' };
  if (typeof v !== 'string') throw new Error(`bad argument #${i + 1} (string expected, got ${typeof v})`);
  return parseQuantity(v);
}

const hostFns: Record<string, HostFn> = {
  resourceAdd: (args) => formatQuantity(args.map(quantityArg).reduce(addQuantities, { nanos: 0n, format: 'DecimalSI' })),
  getResourceQuantity: (args) => {
    if (args.length !== 1) throw new Error('getResourceQuantity only accepts one argument');
    return quantityToNumber(quantityArg(args[0], 0));
  },
  accuratePodRequirements: (args, opts) => {
    if (args.length !== 1 || !isObject(args[0])) throw new Error('getPodRequirements only accepts one argument');
    const template = args[0];
    return replicaRequirements(objAt(template, 'spec'), strAt(template, 'metadata', 'namespace'), opts) ?? null;
  },
  getPodDependencies: (args) => {
    if (args.length !== 2 || !isObject(args[0])) throw new Error('getPodDependencies only accepts two argument');
    const namespace = typeof args[1] === 'string' || typeof args[1] === 'number' ? String(args[1]) : 'default';
    return podDependencies(objAt(args[0], 'spec'), namespace);
  },
};

/** Called from Lua with JSON text; answers {"ok": value} or {"err": message}, never throws into the VM. */
export function callHost(name: string, argsJson: string, opts: HostOptions): string {
  try {
    const fn = hostFns[name];
    if (!fn) throw new Error(`kube.${name} is not a function`);
    const args = JSON.parse(argsJson) as unknown;
    return JSON.stringify({ ok: fn(Array.isArray(args) ? args : [], opts) ?? null });
  } catch (e) {
    return JSON.stringify({ err: e instanceof Error ? e.message : String(e) });
  }
}
