// config.karmada.io/v1alpha1: resource interpreter customizations (Lua) and webhooks.
import type { Schema } from '../../../apimachinery/schema.js';
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { ageColumn, arr, column, crd, int, karmadaCategory, kindSchema, obj, str } from './schema.js';

export const configGroup = 'config.karmada.io';

/** The operations a ResourceInterpreterCustomization can define, each holding one Lua function. */
export const customizationFields = [
  'retention',
  'replicaResource',
  'componentResource',
  'replicaRevision',
  'statusReflection',
  'statusAggregation',
  'healthInterpretation',
  'dependencyInterpretation',
] as const;

const luaFunctions: Record<(typeof customizationFields)[number], string> = {
  retention: 'Retain(desiredObj, observedObj)',
  replicaResource: 'GetReplicas(desiredObj)',
  componentResource: 'GetComponents(desiredObj)',
  replicaRevision: 'ReviseReplica(desiredObj, desiredReplica)',
  statusReflection: 'ReflectStatus(observedObj)',
  statusAggregation: 'AggregateStatus(desiredObj, statusItems)',
  healthInterpretation: 'InterpretHealth(observedObj)',
  dependencyInterpretation: 'GetDependencies(desiredObj)',
};

function customizations(): Schema {
  const props: Record<string, Schema> = {};
  for (const f of customizationFields) {
    props[f] = obj({ luaScript: str(`Lua source defining ${luaFunctions[f]}.`) }, { required: ['luaScript'] });
  }
  return obj(props, { description: 'One Lua script per interpreter operation.' });
}

function resourceInterpreterCustomization(): CustomResourceDefinition {
  const spec = obj(
    {
      target: obj({ apiVersion: str(), kind: str() }, { required: ['apiVersion', 'kind'], description: 'The kind these scripts interpret.' }),
      customizations: customizations(),
    },
    { required: ['target', 'customizations'] },
  );
  return crd({
    group: configGroup,
    kind: 'ResourceInterpreterCustomization',
    plural: 'resourceinterpretercustomizations',
    scope: 'Cluster',
    shortNames: ['ric'],
    categories: [karmadaCategory],
    versions: [
      {
        name: 'v1alpha1',
        schema: kindSchema('Lua scripts that tell Karmada how to read and change a kind.', spec),
        columns: [column('TARGET-API-VERSION', '.spec.target.apiVersion'), column('TARGET-KIND', '.spec.target.kind'), ageColumn],
      },
    ],
  });
}

export const interpreterOperations = [
  'InterpretReplica',
  'InterpretComponent',
  'ReviseReplica',
  'InterpretStatus',
  'Prune',
  'Retain',
  'AggregateStatus',
  'InterpretHealth',
  'InterpretDependency',
  '*',
];

function resourceInterpreterWebhookConfiguration(): CustomResourceDefinition {
  const webhook = obj(
    {
      name: str('Fully qualified name of the webhook.'),
      clientConfig: obj(
        {
          url: str('Where to call the webhook.'),
          service: obj({ namespace: str(), name: str(), path: str(), port: int() }, { required: ['namespace', 'name'] }),
          caBundle: str({ format: 'byte', description: 'PEM CA bundle to verify the webhook.' }),
        },
        { description: 'How to reach the webhook.' },
      ),
      rules: arr(
        obj(
          { operations: arr(str(), 'Interpreter operations.'), apiGroups: arr(str()), apiVersions: arr(str()), kinds: arr(str()) },
          { required: ['operations', 'apiGroups', 'apiVersions', 'kinds'] },
        ),
        'Which kinds and operations the webhook handles.',
      ),
      timeoutSeconds: int('Call timeout, 1 to 30 seconds.'),
      interpreterContextVersions: arr(str(), 'ResourceInterpreterContext versions the webhook accepts; only v1alpha1.'),
    },
    { required: ['name', 'clientConfig', 'interpreterContextVersions'] },
  );
  const schema: Schema = {
    type: 'object',
    description: 'Webhooks that interpret resources for Karmada.',
    required: ['webhooks'],
    properties: {
      apiVersion: str(),
      kind: str(),
      metadata: { type: 'object' },
      webhooks: arr(webhook, 'The interpreter webhooks.'),
    },
  };
  return crd({
    group: configGroup,
    kind: 'ResourceInterpreterWebhookConfiguration',
    plural: 'resourceinterpreterwebhookconfigurations',
    scope: 'Cluster',
    categories: [karmadaCategory],
    versions: [{ name: 'v1alpha1', schema }],
  });
}

export function configCRDs(): CustomResourceDefinition[] {
  return [resourceInterpreterCustomization(), resourceInterpreterWebhookConfiguration()];
}
