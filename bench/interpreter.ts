// Resource interpreter speed: interpretations per second of a Lua customization (run by the
// wasmoon engine, as users' ResourceInterpreterCustomizations are) against the native TypeScript
// rule for the same kind (a Deployment), for GetReplicas and AggregateStatus, in the same run.
// Run: npm run bench:interpreter   (BENCH_SECONDS=2 per measurement)
import os from 'node:os';
import type { KubeObject } from '../src/apimachinery/types.js';
import type { AggregatedStatusItem } from '../src/apis/karmada/binding.js';
import { createNativeInterpreter, LuaCustomizationLayer, type ResourceInterpreter, type ResourceInterpreterCustomization } from '../src/interpreter/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', namespace: 'default', generation: 3, labels: { app: 'nginx' } },
  spec: {
    replicas: 6,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
        containers: [{ name: 'nginx', image: 'nginx:1.27', resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } }],
      },
    },
  },
} as KubeObject;

const items: AggregatedStatusItem[] = ['member1', 'member2', 'member3'].map((clusterName, i) => ({
  clusterName,
  applied: true,
  health: 'Healthy',
  status: { replicas: 2, readyReplicas: 2 - (i % 2), availableReplicas: 2 - (i % 2), updatedReplicas: 2, unavailableReplicas: i % 2, observedGeneration: 3, generation: 3, resourceTemplateGeneration: 3 },
}));

// the rules of Karmada's Deployment customization example, as a user would write them
const customization: ResourceInterpreterCustomization = {
  apiVersion: 'config.karmada.io/v1alpha1',
  kind: 'ResourceInterpreterCustomization',
  metadata: { name: 'bench' },
  spec: {
    target: { apiVersion: 'apps/v1', kind: 'Deployment' },
    customizations: {
      replicaResource: {
        luaScript: `local kube = require("kube")
function GetReplicas(obj)
  return obj.spec.replicas, kube.accuratePodRequirements(obj.spec.template)
end`,
      },
      statusAggregation: {
        luaScript: `function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  local replicas, ready, available, updated, unavailable = 0, 0, 0, 0, 0
  local observed = 0
  for i = 1, #statusItems do
    local s = statusItems[i].status
    if s ~= nil then
      replicas = replicas + (s.replicas or 0)
      ready = ready + (s.readyReplicas or 0)
      available = available + (s.availableReplicas or 0)
      updated = updated + (s.updatedReplicas or 0)
      unavailable = unavailable + (s.unavailableReplicas or 0)
      if s.resourceTemplateGeneration == desiredObj.metadata.generation and s.generation == s.observedGeneration then observed = observed + 1 end
    end
  end
  desiredObj.status.replicas = replicas
  desiredObj.status.readyReplicas = ready
  desiredObj.status.availableReplicas = available
  desiredObj.status.updatedReplicas = updated
  desiredObj.status.unavailableReplicas = unavailable
  if observed == #statusItems then desiredObj.status.observedGeneration = desiredObj.metadata.generation end
  return desiredObj
end`,
      },
    },
  },
};

function rate(fn: () => void): number {
  for (let i = 0; i < 200; i++) fn(); // warm up
  let n = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(SECONDS * 1e9));
  let now = start;
  while (now < until) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

async function main(): Promise<void> {
  const native: ResourceInterpreter = createNativeInterpreter();
  const lua = await LuaCustomizationLayer.create();
  const problems = lua.load([customization]);
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
  // both answer the same question the same way
  const a = native.getReplicas(deployment);
  const b = lua.getReplicas(deployment);
  if (a.replicas !== b.replicas || JSON.stringify(a.requirements?.resourceRequest) !== JSON.stringify(b.requirements?.resourceRequest)) {
    throw new Error(`native and Lua disagree: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
  console.log(`interpreter benchmark: ${os.cpus().length} cpus, load ${os.loadavg()[0]!.toFixed(2)}, ${SECONDS}s per measurement`);
  const rows: [string, number, number][] = [
    ['GetReplicas', rate(() => native.getReplicas(deployment)), rate(() => lua.getReplicas(deployment))],
    ['AggregateStatus (3 members)', rate(() => native.aggregateStatus(deployment, items)), rate(() => lua.aggregateStatus(deployment, items))],
  ];
  console.log('operation                     native/s     lua/s   native÷lua');
  for (const [name, n, l] of rows) console.log(`${name.padEnd(28)} ${Math.round(n).toString().padStart(9)} ${Math.round(l).toString().padStart(9)} ${(n / l).toFixed(1).padStart(10)}×`);
  lua.close();
}

await main();
