// What `kubectl exec` can run in a simulated container: env, hostname, echo, cat, ls, true, false
// and `sh -c` over them, against the container's environment and the files its ConfigMap, Secret
// and projected volumes mount, so a test can see what a propagated object put in the pod. Pure.
import type { KubeObject } from '../../apimachinery/types.js';

type Obj = Record<string, any>;

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** the runtime could not start the command at all (kube reports an internal error, not an exit code) */
  notFound?: boolean;
}

/** how the pod's referenced objects are read (the member's store) */
export interface PodObjects {
  configMap(name: string): KubeObject | undefined;
  secret(name: string): KubeObject | undefined;
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

function keysOf(obj: KubeObject | undefined, secret: boolean): Map<string, string> {
  const out = new Map<string, string>();
  if (!obj) return out;
  for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) out.set(k, secret ? b64(v) : v);
  if (!secret) for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, string>)) out.set(k, b64(v));
  return out;
}

/** key -> relative path, as a volume source's items (all keys when absent) */
function project(keys: Map<string, string>, items: Obj[] | undefined): Map<string, string> {
  if (!items?.length) return keys;
  const out = new Map<string, string>();
  for (const it of items) if (keys.has(it.key)) out.set(it.path ?? it.key, keys.get(it.key)!);
  return out;
}

function volumeFiles(volume: Obj, objects: PodObjects, pod: KubeObject): Map<string, string> {
  if (volume.configMap) return project(keysOf(objects.configMap(volume.configMap.name), false), volume.configMap.items);
  if (volume.secret) return project(keysOf(objects.secret(volume.secret.secretName), true), volume.secret.items);
  if (volume.projected) {
    const out = new Map<string, string>();
    for (const s of (volume.projected.sources ?? []) as Obj[]) {
      const part = s.configMap ? project(keysOf(objects.configMap(s.configMap.name), false), s.configMap.items) : s.secret ? project(keysOf(objects.secret(s.secret.name), true), s.secret.items) : undefined;
      for (const [k, v] of part ?? []) out.set(k, v);
      for (const item of (s.downwardAPI?.items ?? []) as Obj[]) {
        const field = item.fieldRef?.fieldPath;
        const value = field === 'metadata.name' ? pod.metadata.name : field === 'metadata.namespace' ? pod.metadata.namespace : undefined;
        if (value !== undefined) out.set(item.path, value);
      }
    }
    return out;
  }
  return new Map();
}

/** absolute path -> contents of every file the container's volume mounts show */
export function mountedFiles(pod: KubeObject, container: Obj, objects: PodObjects): Map<string, string> {
  const volumes = ((pod.spec as Obj)?.volumes ?? []) as Obj[];
  const files = new Map<string, string>();
  for (const m of (container.volumeMounts ?? []) as Obj[]) {
    const volume = volumes.find((v) => v.name === m.name);
    if (!volume) continue;
    const base = String(m.mountPath).replace(/\/+$/, '');
    const inVolume = volumeFiles(volume, objects, pod);
    if (m.subPath) {
      if (inVolume.has(m.subPath)) files.set(base, inVolume.get(m.subPath)!);
      continue;
    }
    for (const [rel, content] of inVolume) files.set(`${base}/${rel}`, content);
  }
  return files;
}

/** the container's environment, as the kubelet builds it (values from ConfigMaps and Secrets resolved) */
export function containerEnv(pod: KubeObject, container: Obj, objects: PodObjects): [string, string][] {
  const spec = (pod.spec ?? {}) as Obj;
  const status = (pod.status ?? {}) as Obj;
  const env: [string, string][] = [
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', spec.hostname ?? pod.metadata.name!],
  ];
  const set = (k: string, v: string) => {
    const i = env.findIndex(([x]) => x === k);
    if (i >= 0) env[i] = [k, v];
    else env.push([k, v]);
  };
  for (const from of (container.envFrom ?? []) as Obj[]) {
    const keys = from.configMapRef ? keysOf(objects.configMap(from.configMapRef.name), false) : from.secretRef ? keysOf(objects.secret(from.secretRef.name), true) : new Map<string, string>();
    for (const [k, v] of keys) set(`${from.prefix ?? ''}${k}`, v);
  }
  const fields: Record<string, string | undefined> = { 'metadata.name': pod.metadata.name, 'metadata.namespace': pod.metadata.namespace, 'spec.nodeName': spec.nodeName, 'status.podIP': status.podIP, 'status.hostIP': status.hostIP, 'spec.serviceAccountName': spec.serviceAccountName };
  for (const e of (container.env ?? []) as Obj[]) {
    const vf = e.valueFrom;
    let value: string | undefined = e.value ?? '';
    if (vf?.configMapKeyRef) value = keysOf(objects.configMap(vf.configMapKeyRef.name), false).get(vf.configMapKeyRef.key);
    else if (vf?.secretKeyRef) value = keysOf(objects.secret(vf.secretKeyRef.name), true).get(vf.secretKeyRef.key);
    else if (vf?.fieldRef) value = fields[vf.fieldRef.fieldPath];
    if (value !== undefined) set(e.name, value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name) => env.find(([k]) => k === name)?.[1] ?? all));
  }
  set('KUBERNETES_SERVICE_HOST', '10.96.0.1');
  set('KUBERNETES_SERVICE_PORT', '443');
  return env;
}

function isDir(files: Map<string, string>, path: string): boolean {
  const prefix = path === '/' ? '/' : `${path}/`;
  for (const f of files.keys()) if (f.startsWith(prefix)) return true;
  return false;
}

function children(files: Map<string, string>, path: string): string[] {
  const prefix = path === '/' ? '/' : `${path}/`;
  const names = new Set<string>();
  for (const f of files.keys()) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]);
  return [...names].sort();
}

const normalize = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

export interface ExecEnv {
  hostname: string;
  env: [string, string][];
  files: Map<string, string>;
  stdin: string;
}

export function runCommand(argv: string[], e: ExecEnv): ExecResult {
  const [cmd, ...args] = argv;
  const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', exitCode: 0 });
  switch (cmd) {
    case 'env':
    case 'printenv':
      if (args.length) {
        const v = args.map((a) => e.env.find(([k]) => k === a)?.[1]);
        return { stdout: v.filter((x) => x !== undefined).map((x) => `${x}\n`).join(''), stderr: '', exitCode: v.every((x) => x !== undefined) ? 0 : 1 };
      }
      return ok(e.env.map(([k, v]) => `${k}=${v}\n`).join(''));
    case 'hostname':
      return ok(`${e.hostname}\n`);
    case 'echo':
      return args[0] === '-n' ? ok(args.slice(1).join(' ')) : ok(`${args.join(' ')}\n`);
    case 'true':
      return ok('');
    case 'false':
      return { stdout: '', stderr: '', exitCode: 1 };
    case 'cat': {
      if (!args.length) return ok(e.stdin);
      let stdout = '';
      let stderr = '';
      for (const a of args) {
        const p = normalize(a);
        if (e.files.has(p)) stdout += e.files.get(p);
        else if (isDir(e.files, p)) stderr += `cat: ${a}: Is a directory\n`;
        else stderr += `cat: ${a}: No such file or directory\n`;
      }
      return { stdout, stderr, exitCode: stderr ? 1 : 0 };
    }
    case 'ls': {
      const paths = args.filter((a) => !a.startsWith('-'));
      let stdout = '';
      let stderr = '';
      for (const a of paths.length ? paths : ['/']) {
        const p = normalize(a);
        if (e.files.has(p)) stdout += `${a}\n`;
        else if (isDir(e.files, p)) stdout += (paths.length > 1 ? `${a}:\n` : '') + children(e.files, p).map((c) => `${c}\n`).join('');
        else stderr += `ls: cannot access '${a}': No such file or directory\n`;
      }
      return { stdout, stderr, exitCode: stderr ? 2 : 0 };
    }
    case 'sh':
    case '/bin/sh':
    case 'bash':
    case '/bin/bash':
      if (args[0] === '-c' && args[1] !== undefined) return runCommand(args[1].trim().split(/\s+/).filter(Boolean), e);
      return { stdout: '', stderr: '', exitCode: 0 };
    default:
      return { stdout: '', stderr: '', exitCode: 127, notFound: true };
  }
}
