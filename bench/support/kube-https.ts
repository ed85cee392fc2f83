// A bare HTTPS client for the API server: admin client certificate, keep-alive agent, JSON in and
// out, and a line-by-line watch reader. Used by the benchmark and the crash/HA tests, where every
// millisecond and every acknowledgment must be the server's and not a library's.
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';

export interface KubeCredentials {
  url: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface KubeResponse {
  status: number;
  /** JSON enters here: a Kubernetes object, list or Status (text when not JSON) */
  body: any;
  text: string;
  /** the body as received (protobuf answers are binary) */
  bytes: Buffer;
}

export interface RequestOptions {
  /** abort and reject after this many ms (default 30000) */
  timeoutMs?: number;
  contentType?: string;
  /** the Accept header (default application/json) */
  accept?: string;
}

export interface WatchEventLine {
  type: string;
  object: any;
}

export interface WatchStream {
  /** resolves once the response headers arrived (the server accepted the watch) */
  ready: Promise<number>;
  /** resolves when the stream ends for any reason */
  closed: Promise<void>;
  stop(): void;
}

/** the admin credentials the server wrote into its data dir */
export function credentialsFromDataDir(url: string, dataDir: string): KubeCredentials {
  const pki = join(dataDir, 'pki');
  return {
    url,
    caPem: readFileSync(join(pki, 'ca.crt'), 'utf8'),
    certPem: readFileSync(join(pki, 'admin.crt'), 'utf8'),
    keyPem: readFileSync(join(pki, 'admin.key'), 'utf8'),
  };
}

/** a context's server and client certificate from a kubeconfig's text (as `karmada-ts up` writes them) */
export function credentialsFromKubeconfig(text: string, context?: string): KubeCredentials {
  const doc = parse(text) as {
    'current-context'?: string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
    clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
  };
  const name = context ?? doc['current-context'];
  const ctx = doc.contexts.find((c) => c.name === name)?.context;
  const cluster = doc.clusters.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = doc.users.find((u) => u.name === ctx?.user)?.user;
  if (!cluster || !user?.['client-certificate-data'] || !user['client-key-data']) throw new Error(`no context ${JSON.stringify(name)} with a client certificate in the kubeconfig`);
  const text64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return { url: cluster.server, caPem: text64(cluster['certificate-authority-data']), certPem: text64(user['client-certificate-data']), keyPem: text64(user['client-key-data']) };
}

export class KubeHttp {
  readonly agent: Agent;
  /** watches hold their socket for a long time: they get their own pool */
  private readonly watchAgent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(readonly credentials: KubeCredentials, opts: { maxSockets?: number } = {}) {
    const tls = { ca: credentials.caPem, cert: credentials.certPem, key: credentials.keyPem };
    this.agent = new Agent({ ...tls, keepAlive: true, maxSockets: opts.maxSockets ?? 16 });
    this.watchAgent = new Agent({ ...tls, keepAlive: false });
    const u = new URL(credentials.url);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  request(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { Accept: opts.accept ?? 'application/json' };
      if (payload !== undefined) {
        headers['Content-Type'] = opts.contentType ?? 'application/json';
        headers['Content-Length'] = Buffer.byteLength(payload);
      }
      const req = request({ host: this.host, port: this.port, method, path, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const bytes = Buffer.concat(chunks);
          const binary = String(res.headers['content-type'] ?? '').startsWith('application/vnd.kubernetes.protobuf');
          const text = binary ? '' : bytes.toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // plain text (healthz, readyz)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text, bytes });
        });
      });
      const timeoutMs = opts.timeoutMs ?? 30_000;
      const timer = setTimeout(() => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs}ms`)), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(payload);
    });
  }

  get = (path: string, opts?: RequestOptions) => this.request('GET', path, undefined, opts);
  post = (path: string, body: unknown, opts?: RequestOptions) => this.request('POST', path, body, opts);
  put = (path: string, body: unknown, opts?: RequestOptions) => this.request('PUT', path, body, opts);

  /** GET path?watch=1...: calls onEvent for each event line with its arrival time (performance.now()) */
  /**
   * A watch that outlives the server's watch timeout: when the stream ends it is opened again from the
   * last resourceVersion seen (from scratch after a 410), so a long run keeps counting. Stops on stop().
   */
  watchResumed(path: string, onEvent: (ev: WatchEventLine, at: number) => void): { ready: Promise<number>; stop(): void } {
    let stopped = false;
    let rv = '';
    let current: WatchStream | undefined;
    const open = (): WatchStream => {
      const from = rv ? `&resourceVersion=${encodeURIComponent(rv)}&allowWatchBookmarks=true` : '';
      const stream = this.watch(`${path}${from}`, (ev, at) => {
        if (ev.type === 'ERROR') {
          if (ev.object?.code === 410) rv = '';
          return;
        }
        if (ev.object?.metadata?.resourceVersion) rv = ev.object.metadata.resourceVersion;
        if (ev.type !== 'BOOKMARK') onEvent(ev, at);
      });
      void stream.ready.then((code) => {
        if (code === 410) rv = '';
      }, () => {});
      void stream.closed.then(() => {
        if (!stopped) setTimeout(() => !stopped && (current = open()), 200);
      });
      return stream;
    };
    current = open();
    return {
      ready: current.ready,
      stop: () => {
        stopped = true;
        current?.stop();
      },
    };
  }

  watch(path: string, onEvent: (ev: WatchEventLine, at: number) => void): WatchStream {
    let stop: () => void = () => {};
    let markReady: (code: number) => void = () => {};
    let failReady: (err: Error) => void = () => {};
    const ready = new Promise<number>((res, rej) => {
      markReady = res;
      failReady = rej;
    });
    const closed = new Promise<void>((done) => {
      const req = request({ host: this.host, port: this.port, method: 'GET', path, agent: this.watchAgent, headers: { Accept: 'application/json' } }, (res) => {
        markReady(res.statusCode ?? 0);
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            if (line.trim()) onEvent(JSON.parse(line) as WatchEventLine, at);
          }
        });
        res.on('end', () => done());
        res.on('close', () => done());
        res.on('error', () => done());
      });
      req.on('error', (err) => {
        failReady(err);
        done();
      });
      req.end();
      stop = () => req.destroy();
    });
    ready.catch(() => {});
    return { ready, closed, stop: () => stop() };
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}

/** a small ConfigMap body */
export function configMap(name: string, data: Record<string, string>, namespace = 'default', resourceVersion?: string): unknown {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) }, data };
}
