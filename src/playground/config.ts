// The playground's config file: the members to simulate. YAML or JSON, checked with field paths.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError, ConfigReader, nodePool, readMemberConfig, type MemberConfig } from '../membersim/config.js';

/**
 * Feature gates the playground turns on beyond Karmada's defaults (all Alpha, off in Karmada):
 * FederatedResourceQuota overall enforced on bindings, member ResourceQuotas bounding the
 * scheduler's estimates (bindings carry replicaRequirements.namespace), and MultiClusterService.
 */
export const playgroundFeatureGates = 'FederatedQuotaEnforcement=true,ResourceQuotaEstimate=true,MultiClusterService=true';

export interface PlaygroundConfig {
  members: MemberConfig[];
}

/** member1 and member2 in Push mode, member3 in Pull mode, each with a few nodes, as Karmada's local-up */
export function defaultPlaygroundConfig(): PlaygroundConfig {
  const member = (name: string, syncMode: 'Push' | 'Pull', region: string): MemberConfig => ({
    name,
    syncMode,
    provider: 'karmada-ts',
    region,
    zones: [`${region}a`, `${region}b`],
    labels: {},
    nodes: [nodePool({ count: 3, cpu: '4', memory: '16Gi' })],
  });
  return { members: [member('member1', 'Push', 'us-east-1'), member('member2', 'Push', 'us-west-2'), member('member3', 'Pull', 'eu-west-1')] };
}

export function parsePlaygroundConfig(doc: unknown): PlaygroundConfig {
  const r = new ConfigReader();
  const o = r.object(doc, 'config', ['members']);
  if (o.members === undefined) r.problem('config.members', 'is required: list the member clusters to simulate');
  const members = r.list(o.members, 'config.members').map((m, i) => readMemberConfig(r, m, `config.members[${i}]`));
  const seen = new Set<string>();
  members.forEach((m, i) => {
    if (seen.has(m.name)) r.problem(`config.members[${i}].name`, `${JSON.stringify(m.name)} is used by an earlier member`);
    if (m.name === 'karmada-apiserver') r.problem(`config.members[${i}].name`, '"karmada-apiserver" is the name of the control plane context');
    seen.add(m.name);
  });
  r.throwIfAny();
  return { members };
}

export function loadPlaygroundConfig(file: string): PlaygroundConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${file}: ${(err as Error).message}`]);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError([`${file}: not valid YAML: ${(err as Error).message}`]);
  }
  try {
    return parsePlaygroundConfig(doc);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(err.problems.map((p) => `${file}: ${p}`));
    throw err;
  }
}
