// Command-line argument handling as cobra does it for Karmada's karmadactl: flags may come before the
// subcommand (`karmadactl --kubeconfig=F unjoin NAME`), and commands that wrap kubectl take their own
// flags out and hand the rest to kubectl untouched, in order.

/** one flag this CLI consumes; value: whether it takes an argument (`--f v` or `--f=v`) */
export interface FlagSpec {
  name: string;
  short?: string;
  value: boolean;
}

/** the flags every karmadactl command accepts, before or after its name (cobra's persistent and shared flags) */
export const globalFlags: FlagSpec[] = [
  { name: 'kubeconfig', value: true },
  { name: 'karmada-context', value: true },
  { name: 'namespace', short: 'n', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'operation-scope', short: 's', value: true },
  { name: 'clusters', short: 'C', value: true },
  { name: 'cluster', value: true },
  { name: 'v', short: 'v', value: true },
];

function lookup(token: string, specs: FlagSpec[]): { spec: FlagSpec; inlineValue?: string } | undefined {
  if (token.startsWith('--')) {
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const spec = specs.find((s) => s.name === name);
    return spec && { spec, inlineValue: eq < 0 ? undefined : token.slice(eq + 1) };
  }
  if (token.startsWith('-') && token.length >= 2) {
    const spec = specs.find((s) => s.short === token[1]);
    if (!spec) return undefined;
    const rest = token.slice(2);
    if (!spec.value) return rest ? undefined : { spec };
    return { spec, inlineValue: rest ? rest.replace(/^=/, '') : undefined };
  }
  return undefined;
}

/** commands whose first argument is itself a command (`top pod`, `token create`) */
const commandGroups = new Set(['top', 'token']);

/**
 * Moves the flags written before the (sub)command name to just after it, so the command parses them
 * as its own (cobra finds the command by skipping flags and their values, at every level:
 * `karmadactl --kubeconfig F top -C m1 pod`). args excludes node and the script.
 */
export function hoistGlobalFlags(args: string[], specs: FlagSpec[] = globalFlags, groups: Set<string> = commandGroups): string[] {
  const moved: string[] = [];
  const path: string[] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') {
      path.push(a);
      i++;
      if (!groups.has(a) || path.length > 1) break;
      continue;
    }
    moved.push(a);
    const hit = lookup(a, specs);
    if (hit?.spec.value && hit.inlineValue === undefined && i + 1 < args.length) moved.push(args[++i]!);
    i++;
  }
  if (path.length === 0 || moved.length === 0) return args;
  return [...path, ...moved, ...args.slice(i)];
}

interface SplitArgs {
  /** the values of the consumed flags, by long name; repeated flags keep every value */
  flags: Record<string, string[]>;
  /** everything else, in the order given (after `--` nothing is consumed) */
  rest: string[];
}

/** takes the flags in specs out of args; a value flag without a value is an error naming it */
export function splitFlags(args: string[], specs: FlagSpec[]): SplitArgs {
  const flags: Record<string, string[]> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      rest.push(...args.slice(i));
      break;
    }
    const hit = lookup(a, specs);
    if (!hit) {
      rest.push(a);
      continue;
    }
    let value = hit.inlineValue;
    if (hit.spec.value && value === undefined) {
      if (i + 1 >= args.length) throw new Error(`flag needs an argument: --${hit.spec.name}`);
      value = args[++i];
    }
    (flags[hit.spec.name] ??= []).push(hit.spec.value ? (value as string) : (value ?? 'true'));
  }
  return { flags, rest };
}

/** the last value of a flag */
export function flagValue(s: SplitArgs, name: string): string | undefined {
  const v = s.flags[name];
  return v?.[v.length - 1];
}

/** a comma-separated, repeatable list flag (cobra's StringSlice) */
export function flagList(s: SplitArgs, name: string): string[] {
  return (s.flags[name] ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export type OperationScope = 'karmada' | 'members' | 'all';

/** --operation-scope, checked against what the command supports (Karmada's messages) */
export function operationScope(value: string | undefined, supported: OperationScope[] = ['karmada', 'members', 'all']): OperationScope {
  const v = value ?? 'karmada';
  if (v !== 'karmada' && v !== 'members' && v !== 'all') throw new Error(`invalid argument "${v}" for "-s, --operation-scope" flag: not support OperationScope: ${v}`);
  if (!supported.includes(v)) throw new Error(`not support operation scope: ${v}`);
  return v;
}

