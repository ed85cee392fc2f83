// The pods/log subresource of a simulated member (the kubelet's container logs behind
// kube-apiserver's pods/log): a made-up but stable log per container (start-up lines, then one line
// per interval while it runs), honouring container, follow, tailLines, sinceSeconds, sinceTime,
// timestamps, limitBytes and previous, with kube-apiserver's errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import type { ApiExtension, ApiServer } from '../apiserver/server.js';
import { sendError } from '../apiserver/http/respond.js';

export interface LogLine {
  at: number;
  text: string;
}

interface ContainerRun {
  startedAt: number;
  /** absent while running */
  finishedAt?: number;
  exitCode?: number;
}

type Obj = Record<string, any>;

const logPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log\/?$/;

/** the lines a container wrote from its start up to `until` (or its end); pure */
export function containerLog(pod: KubeObject, container: Obj, run: ContainerRun, until: number, intervalMs: number): LogLine[] {
  const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const end = run.finishedAt !== undefined ? Math.min(run.finishedAt, until) : until;
  const lines: LogLine[] = [];
  if (end < run.startedAt) return lines;
  lines.push({ at: run.startedAt, text: `starting container ${container.name} (image ${container.image ?? 'unknown'}) in pod ${name}` });
  for (const p of (container.ports ?? []) as Obj[]) lines.push({ at: run.startedAt, text: `listening on ${p.protocol ?? 'TCP'} port ${p.containerPort}${p.name ? ` (${p.name})` : ''}` });
  lines.push({ at: run.startedAt, text: 'ready' });
  for (let k = 1; run.startedAt + k * intervalMs <= end; k++) lines.push({ at: run.startedAt + k * intervalMs, text: `heartbeat ${k}: ${container.name} is running` });
  if (run.finishedAt !== undefined && run.finishedAt <= until) lines.push({ at: run.finishedAt, text: `exiting with code ${run.exitCode ?? 0}` });
  return lines;
}

export interface LogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: number;
  limitBytes?: number;
}

function nonNegative(q: URLSearchParams, name: string, min = 0): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    throw errors.invalid('PodLogOptions', '', '', [{ type: 'FieldValueInvalid', field: name, value: v, detail: min > 0 ? 'must be greater than 0' : 'must be greater than or equal to 0' }]);
  }
  return n;
}

export function parseLogOptions(q: URLSearchParams): LogOptions {
  const bool = (n: string) => q.get(n) === 'true' || q.get(n) === '1';
  const sinceTimeRaw = q.get('sinceTime');
  const sinceTime = sinceTimeRaw ? Date.parse(sinceTimeRaw) : undefined;
  if (sinceTimeRaw && Number.isNaN(sinceTime)) throw errors.badRequest(`invalid sinceTime ${JSON.stringify(sinceTimeRaw)}: must be RFC 3339`);
  const o: LogOptions = {
    container: q.get('container') || undefined,
    follow: bool('follow'),
    previous: bool('previous'),
    timestamps: bool('timestamps'),
    tailLines: nonNegative(q, 'tailLines'),
    sinceSeconds: nonNegative(q, 'sinceSeconds', 1),
    sinceTime,
    limitBytes: nonNegative(q, 'limitBytes', 1),
  };
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) {
    throw errors.invalid('PodLogOptions', '', '', [{ type: 'FieldValueForbidden', field: 'sinceSeconds', detail: 'at most one of sinceTime or sinceSeconds may be specified' }]);
  }
  return o;
}

/** which container and which run of it the request is about, or kube-apiserver's 400 */
export function resolveContainer(pod: KubeObject, o: LogOptions): { container: Obj; run: ContainerRun } {
  const spec = (pod.spec ?? {}) as Obj;
  const containers = (spec.containers ?? []) as Obj[];
  const all = [...((spec.initContainers ?? []) as Obj[]), ...containers];
  const podName = pod.metadata.name;
  let name = o.container;
  if (!name) {
    if (containers.length !== 1) throw errors.badRequest(`a container name must be specified for pod ${podName}, choose one of: [${containers.map((c) => c.name).join(' ')}]`);
    name = containers[0].name as string;
  }
  const container = all.find((c) => c.name === name);
  if (!container) throw errors.badRequest(`container ${name} is not valid for pod ${podName}`);
  const status = (pod.status ?? {}) as Obj;
  const cs = ([...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])] as Obj[]).find((s) => s.name === name);
  if (o.previous) {
    const last = cs?.lastState?.terminated;
    if (!last) throw errors.badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    return { container, run: { startedAt: Date.parse(last.startedAt), finishedAt: Date.parse(last.finishedAt), exitCode: last.exitCode } };
  }
  const running = cs?.state?.running;
  const terminated = cs?.state?.terminated;
  if (running?.startedAt) return { container, run: { startedAt: Date.parse(running.startedAt) } };
  if (terminated?.startedAt) return { container, run: { startedAt: Date.parse(terminated.startedAt), finishedAt: Date.parse(terminated.finishedAt ?? terminated.startedAt), exitCode: terminated.exitCode } };
  const reason = cs?.state?.waiting?.reason ?? 'ContainerCreating';
  throw errors.badRequest(`container "${name}" in pod "${podName}" is waiting to start: ${reason}`);
}

/** the lines to send, after since/tail, as text */
export function selectLines(lines: LogLine[], o: LogOptions, now: number): LogLine[] {
  const since = o.sinceTime ?? (o.sinceSeconds !== undefined ? now - o.sinceSeconds * 1000 : undefined);
  let out = since !== undefined ? lines.filter((l) => l.at >= since) : lines;
  if (o.tailLines !== undefined) out = o.tailLines === 0 ? [] : out.slice(-o.tailLines);
  return out;
}

export function formatLine(l: LogLine, timestamps: boolean): string {
  return timestamps ? `${new Date(l.at).toISOString().replace('Z', '000000Z')} ${l.text}\n` : `${l.text}\n`;
}

async function serveLog(server: ApiServer, namespace: string, name: string, q: URLSearchParams, req: IncomingMessage, res: ServerResponse, intervalMs: number): Promise<void> {
  const pods = server.registry.versionsOf('', 'pods')[0];
  const o = parseLogOptions(q);
  const pod = await server.objects.get(pods, namespace, name);
  const { container, run } = resolveContainer(pod, o);
  const now = Date.now();
  let budget = o.limitBytes ?? Infinity;
  const write = (l: LogLine): boolean => {
    if (budget <= 0) return false;
    let text = formatLine(l, o.timestamps);
    if (Buffer.byteLength(text) > budget) text = Buffer.from(text).subarray(0, budget).toString('utf8');
    budget -= Buffer.byteLength(text);
    res.write(text);
    return budget > 0;
  };
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  const lines = containerLog(pod, container, run, now, intervalMs);
  for (const l of selectLines(lines, o, now)) if (!write(l)) return void res.end();
  if (!o.follow || run.finishedAt !== undefined) return void res.end();
  // follow: one more line per interval while the pod (the same one) lives and the client listens
  let sent = lines.length;
  const timer = setInterval(() => {
    void (async () => {
      const current = await server.objects.tryGet(pods, namespace, name).catch(() => undefined);
      if (!current || current.metadata.uid !== pod.metadata.uid || current.metadata.deletionTimestamp) return stop();
      const more = containerLog(pod, container, run, Date.now(), intervalMs).slice(sent);
      sent += more.length;
      for (const l of more) if (!write(l)) return stop();
    })();
  }, Math.min(intervalMs, 1000));
  const stop = () => {
    clearInterval(timer);
    res.end();
  };
  req.once('close', () => clearInterval(timer));
}

/** pods/log on a member's API server */
export function podLogs(intervalMs: () => number): (server: ApiServer) => ApiExtension {
  return (server) => {
    server.registry.addExtraSubresource('', 'pods', { name: 'log', kind: 'Pod', verbs: ['get'] });
    return {
      name: 'pod-logs',
      async handle(req, res, url) {
        const m = logPath.exec(url.pathname);
        if (!m || req.method !== 'GET') return false;
        try {
          await serveLog(server, decodeURIComponent(m[1]), decodeURIComponent(m[2]), url.searchParams, req, res, intervalMs());
        } catch (err) {
          if (res.headersSent) res.end();
          else sendError(res, err);
        }
        return true;
      },
    };
  };
}
