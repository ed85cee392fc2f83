// A simulated member cluster's configuration: its nodes, region and zones, and the simulated time
// knobs. Parsed from YAML/JSON with field-path errors, so a wrong config says where it is wrong.
import { quantityNumber } from '../apimachinery/quantity.js';
import { isTaintEffect, taintEffects, type ClusterSyncMode, type Taint } from '../apis/karmada/cluster.js';

export interface NodePoolConfig {
  count: number;
  /** node names are `<member>-<namePrefix>-<n>`, numbered on across pools sharing a prefix; default "node" */
  namePrefix: string;
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** e.g. { "nvidia.com/gpu": "4" } */
  extendedResources: Record<string, string>;
}

export interface MemberConfig {
  name: string;
  syncMode: ClusterSyncMode;
  provider?: string;
  region?: string;
  zones: string[];
  labels: Record<string, string>;
  nodes: NodePoolConfig[];
}

/** simulated time: how long things take in a member */
export interface SimTiming {
  /** bound pod to Running and Ready */
  podStartupMs: number;
  /** a Job's pod runs this long before it succeeds (per pod: annotation membersim.karmada-ts.io/run-duration) */
  jobDurationMs: number;
  /** node Ready condition heartbeat period (the kubelet's nodeStatusReportFrequency, 5 min by default) */
  nodeHeartbeatMs: number;
  /** a running container's simulated log gets one line per interval (pods/log) */
  logIntervalMs: number;
  /** the HPA controller's sync period (kube-controller-manager's --horizontal-pod-autoscaler-sync-period) */
  hpaSyncMs: number;
}

export const defaultTiming: SimTiming = { podStartupMs: 1000, jobDurationMs: 5000, nodeHeartbeatMs: 300_000, logIntervalMs: 5000, hpaSyncMs: 15_000 };

const defaultNodePool: NodePoolConfig = {
  count: 3,
  namePrefix: 'node',
  cpu: '4',
  memory: '16Gi',
  pods: '110',
  ephemeralStorage: '100Gi',
  labels: {},
  taints: [],
  extendedResources: {},
};

/** A config that does not make sense; `problems` are "path: what is wrong" lines. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedName = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Checks every field it knows and refuses the ones it does not, collecting all problems. */
export class ConfigReader {
  readonly problems: string[] = [];

  problem(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  object(v: unknown, path: string, known: string[]): Json {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) {
      this.problem(path, 'must be an object');
      return {};
    }
    for (const k of Object.keys(v)) if (!known.includes(k)) this.problem(`${path}.${k}`, `unknown field (known fields: ${known.join(', ')})`);
    return v;
  }

  string(v: unknown, path: string, fallback?: string): string | undefined {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' || v === '') {
      this.problem(path, 'must be a non-empty string');
      return fallback;
    }
    return v;
  }

  name(v: unknown, path: string): string | undefined {
    const s = this.string(v, path);
    if (s === undefined) this.problem(path, 'is required');
    else if (!dns1123.test(s) || s.length > 48) this.problem(path, `${JSON.stringify(s)} must be a lowercase RFC 1123 label of at most 48 characters (a-z, 0-9, '-')`);
    return s;
  }

  quantity(v: unknown, path: string, fallback: string): string {
    if (v === undefined || v === null) return fallback;
    const s = typeof v === 'number' ? String(v) : v;
    if (typeof s !== 'string' || !(quantityNumber(s) >= 0)) {
      this.problem(path, `${JSON.stringify(v)} is not a quantity (examples: 4, 500m, 16Gi)`);
      return fallback;
    }
    return s;
  }

  labels(v: unknown, path: string): Record<string, string> {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) {
      this.problem(path, 'must be a map of label names to values');
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (!qualifiedName.test(k)) this.problem(`${path}.${k}`, 'is not a valid label name');
      const s = typeof val === 'number' || typeof val === 'boolean' ? String(val) : val;
      if (typeof s !== 'string' || !labelValue.test(s) || s.length > 63) this.problem(`${path}.${k}`, `${JSON.stringify(val)} is not a valid label value`);
      else out[k] = s;
    }
    return out;
  }

  list(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.problem(path, 'must be a list');
      return [];
    }
    return v;
  }

  throwIfAny(): void {
    if (this.problems.length) throw new ConfigError(this.problems);
  }
}

function readTaint(r: ConfigReader, v: unknown, path: string): Taint | undefined {
  const o = r.object(v, path, ['key', 'value', 'effect']);
  const key = r.string(o.key, `${path}.key`);
  if (!key) r.problem(`${path}.key`, 'is required');
  const effect = o.effect;
  if (!isTaintEffect(effect)) {
    r.problem(`${path}.effect`, `${JSON.stringify(effect)} must be one of ${taintEffects.join(', ')}`);
    return undefined;
  }
  const value = r.string(o.value, `${path}.value`);
  return key ? { key, ...(value ? { value } : {}), effect } : undefined;
}

function readPool(r: ConfigReader, v: unknown, path: string): NodePoolConfig {
  const o = r.object(v, path, ['count', 'namePrefix', 'cpu', 'memory', 'pods', 'ephemeralStorage', 'labels', 'taints', 'extendedResources']);
  let count = defaultNodePool.count;
  if (o.count !== undefined) {
    if (typeof o.count !== 'number' || !Number.isInteger(o.count) || o.count < 0 || o.count > 5000) r.problem(`${path}.count`, `${JSON.stringify(o.count)} must be a whole number from 0 to 5000`);
    else count = o.count;
  }
  const namePrefix = r.string(o.namePrefix, `${path}.namePrefix`, defaultNodePool.namePrefix)!;
  if (!dns1123.test(namePrefix)) r.problem(`${path}.namePrefix`, `${JSON.stringify(namePrefix)} must be a lowercase RFC 1123 label`);
  const extendedResources: Record<string, string> = {};
  const ext = r.object(o.extendedResources, `${path}.extendedResources`, Object.keys(isObject(o.extendedResources) ? o.extendedResources : {}));
  for (const [k, q] of Object.entries(ext)) {
    if (!qualifiedName.test(k) || !k.includes('/')) r.problem(`${path}.extendedResources.${k}`, 'an extended resource name must be domain-prefixed, like nvidia.com/gpu');
    extendedResources[k] = r.quantity(q, `${path}.extendedResources.${k}`, '0');
  }
  return {
    count,
    namePrefix,
    cpu: r.quantity(o.cpu, `${path}.cpu`, defaultNodePool.cpu),
    memory: r.quantity(o.memory, `${path}.memory`, defaultNodePool.memory),
    pods: r.quantity(o.pods, `${path}.pods`, defaultNodePool.pods),
    ephemeralStorage: r.quantity(o.ephemeralStorage, `${path}.ephemeralStorage`, defaultNodePool.ephemeralStorage),
    labels: r.labels(o.labels, `${path}.labels`),
    taints: r.list(o.taints, `${path}.taints`).map((t, i) => readTaint(r, t, `${path}.taints[${i}]`)).filter((t): t is Taint => !!t),
    extendedResources,
  };
}

/** Reads one member's config, reporting problems on `r` (paths start at `path`). */
export function readMemberConfig(r: ConfigReader, v: unknown, path: string): MemberConfig {
  const o = r.object(v, path, ['name', 'syncMode', 'provider', 'region', 'zones', 'labels', 'nodes']);
  const name = r.name(o.name, `${path}.name`) ?? 'member';
  let syncMode: ClusterSyncMode = 'Push';
  if (o.syncMode !== undefined) {
    if (o.syncMode !== 'Push' && o.syncMode !== 'Pull') r.problem(`${path}.syncMode`, `${JSON.stringify(o.syncMode)} must be Push or Pull`);
    else syncMode = o.syncMode;
  }
  const zones = r.list(o.zones, `${path}.zones`).map((z, i) => r.string(z, `${path}.zones[${i}]`)).filter((z): z is string => !!z);
  const pools = o.nodes === undefined ? [defaultNodePool] : r.list(o.nodes, `${path}.nodes`).map((p, i) => readPool(r, p, `${path}.nodes[${i}]`));
  return {
    name,
    syncMode,
    provider: r.string(o.provider, `${path}.provider`),
    region: r.string(o.region, `${path}.region`),
    zones,
    labels: r.labels(o.labels, `${path}.labels`),
    nodes: pools,
  };
}

/** parses a single member's config document; throws ConfigError listing every problem */
export function parseMemberConfig(v: unknown): MemberConfig {
  const r = new ConfigReader();
  const config = readMemberConfig(r, v, 'member');
  r.throwIfAny();
  return config;
}

export function memberConfig(name: string, overrides: Partial<Omit<MemberConfig, 'name'>> = {}): MemberConfig {
  return { name, syncMode: 'Push', zones: [], labels: {}, nodes: [defaultNodePool], ...overrides };
}

export function nodePool(overrides: Partial<NodePoolConfig> = {}): NodePoolConfig {
  return { ...defaultNodePool, ...overrides };
}
