// ResourceInterpreterCustomization and ResourceInterpreterWebhookConfiguration validation.
import { LuaFactory } from 'wasmoon';
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { customizationFields, interpreterOperations } from '../crds/config.js';
import { duplicate, invalid, isObj, itemsAt, notSupported, numAt, objAt, required, strAt } from './fields.js';

/** The Lua function each customization must define. */
const luaFunctionOf: Record<(typeof customizationFields)[number], string> = {
  retention: 'Retain',
  replicaResource: 'GetReplicas',
  componentResource: 'GetComponents',
  replicaRevision: 'ReviseReplica',
  statusReflection: 'ReflectStatus',
  statusAggregation: 'AggregateStatus',
  healthInterpretation: 'InterpretHealth',
  dependencyInterpretation: 'GetDependencies',
};

/** Compiles (never runs) each script in a throw-away Lua VM; returns the syntax error per script, or undefined. */
async function luaSyntaxErrors(scripts: string[]): Promise<(string | undefined)[]> {
  if (scripts.length === 0) return [];
  const lua = await new LuaFactory().createEngine();
  try {
    const out: (string | undefined)[] = [];
    for (const script of scripts) {
      lua.global.set('__script', script);
      const err: unknown = await lua.doString('local _, err = load(__script, "luaScript", "t", {}); return err');
      out.push(typeof err === 'string' ? err.replace(/^\[string "luaScript"\]:/, 'line ') : undefined);
    }
    return out;
  } finally {
    lua.global.close();
  }
}

function definesFunction(script: string, name: string): boolean {
  return new RegExp(`\\bfunction\\s+${name}\\s*\\(|\\b${name}\\s*=\\s*function\\b`).test(script);
}

/** Schema-level rules plus: every script compiles and defines the function its operation calls. */
export async function validateInterpreterCustomizationScripts(obj: KubeObject): Promise<FieldError[]> {
  const errs = validateInterpreterCustomization(obj);
  const customizations = objAt(objAt(obj.spec).customizations);
  const present = customizationFields.filter((f) => strAt(objAt(customizations[f]).luaScript).trim());
  const scripts = present.map((f) => strAt(objAt(customizations[f]).luaScript));
  const syntax = await luaSyntaxErrors(scripts);
  present.forEach((f, i) => {
    const path = `spec.customizations.${f}.luaScript`;
    if (syntax[i]) errs.push(invalid(path, '<script>', `Lua syntax error: ${syntax[i]}`));
    else if (!definesFunction(scripts[i], luaFunctionOf[f])) errs.push(invalid(path, '<script>', `must define the function ${luaFunctionOf[f]}`));
  });
  return errs;
}

/** Every customization present holds a script; at least one customization is present. */
function validateInterpreterCustomization(obj: KubeObject): FieldError[] {
  const spec = objAt(obj.spec);
  const errs: FieldError[] = [];
  const target = objAt(spec.target);
  if (!strAt(target.apiVersion)) errs.push(required('spec.target.apiVersion'));
  if (!strAt(target.kind)) errs.push(required('spec.target.kind'));
  const customizations = objAt(spec.customizations);
  let present = 0;
  for (const f of customizationFields) {
    const c = customizations[f];
    if (c === undefined || c === null) continue;
    present++;
    if (!strAt(objAt(c).luaScript).trim()) errs.push(required(`spec.customizations.${f}.luaScript`, 'a Lua script is required'));
  }
  if (present === 0) errs.push(required('spec.customizations', `at least one of ${customizationFields.join(', ')} must be set`));
  return errs;
}

export function validateInterpreterWebhookConfiguration(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [w, i] of itemsAt((obj as { webhooks?: unknown }).webhooks)) {
    const p = `webhooks[${i}]`;
    const name = strAt(w.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    names.add(name);
    const cc = objAt(w.clientConfig);
    const hasURL = !!strAt(cc.url);
    const hasService = isObj(cc.service);
    if (hasURL === hasService) errs.push(required(`${p}.clientConfig`, 'exactly one of url or service is required'));
    if (hasURL) {
      try {
        const u = new URL(strAt(cc.url));
        if (u.protocol !== 'https:') errs.push(invalid(`${p}.clientConfig.url`, cc.url, "'https' is the only allowed URL scheme"));
      } catch {
        errs.push(invalid(`${p}.clientConfig.url`, cc.url, 'must be a valid URL'));
      }
    }
    const timeout = numAt(w.timeoutSeconds);
    if (timeout !== undefined && (timeout < 1 || timeout > 30)) errs.push(invalid(`${p}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'));
    const versions = Array.isArray(w.interpreterContextVersions) ? w.interpreterContextVersions : [];
    if (versions.length === 0) errs.push(required(`${p}.interpreterContextVersions`, 'must specify one of v1alpha1'));
    else if (!versions.includes('v1alpha1')) errs.push(notSupported(`${p}.interpreterContextVersions`, versions, ['v1alpha1']));
    for (const [rule, j] of itemsAt(w.rules)) {
      for (const [op, k] of (Array.isArray(rule.operations) ? rule.operations : []).map((o, k) => [o, k] as const)) {
        if (!interpreterOperations.includes(strAt(op))) errs.push(notSupported(`${p}.rules[${j}].operations[${k}]`, op, interpreterOperations));
      }
    }
  }
  return errs;
}
