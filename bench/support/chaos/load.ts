// The chaos run's load: workers creating, updating and deleting Deployments, ConfigMaps and the
// PropagationPolicies that place them, each write retried until the API server gives a definitive answer,
// so the ledger holds the last acknowledged state of every object (an answer lost with a killed server is
// resolved by reading back, never guessed).
import type { KubeHttp, KubeResponse } from '../kube-https.js';
import { chaosNamespace, groupLabel, templateBody, versionOf, type PolicyAck, type TemplateAck, type TemplateKind } from './expect.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const paths = {
  Deployment: `/apis/apps/v1/namespaces/${chaosNamespace}/deployments`,
  ConfigMap: `/api/v1/namespaces/${chaosNamespace}/configmaps`,
  PropagationPolicy: `/apis/policy.karmada.io/v1alpha1/namespaces/${chaosNamespace}/propagationpolicies`,
} as const;

export function policyBody(group: string, clusters: string[]): Record<string, unknown> {
  const selector = { matchLabels: { [groupLabel]: group } };
  return {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name: group, namespace: chaosNamespace },
    spec: {
      resourceSelectors: [
        { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: selector },
        { apiVersion: 'v1', kind: 'ConfigMap', labelSelector: selector },
      ],
      placement: { clusterAffinity: { clusterNames: clusters }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } },
    },
  };
}

export interface LoadOptions {
  client: KubeHttp;
  clusters: string[];
  workers: number;
  /** at most this many live groups (policies) per worker */
  groupsPerWorker?: number;
  /** at most this many live templates per group, so the state to converge to stays bounded (default 8) */
  templatesPerGroup?: number;
  /** a write with no definitive answer for this long fails the run */
  giveUpMs?: number;
  random?: () => number;
}

/** a write whose outcome the harness could not settle, or one the server contradicted */
export class LedgerError extends Error {}

export class Load {
  readonly templates = new Map<string, TemplateAck>();
  readonly policies = new Map<string, PolicyAck>();
  acknowledged = 0;
  retries = 0;
  readonly violations: string[] = [];
  /** per object (Kind/name, or PropagationPolicy/name): each write's answer, for explaining a difference */
  readonly history = new Map<string, string[]>();
  private stopping = false;
  private running?: Promise<void>;
  private seq = 0;
  private readonly rnd: () => number;

  constructor(private readonly o: LoadOptions) {
    this.rnd = o.random ?? Math.random;
  }

  start(): void {
    this.running = Promise.all(Array.from({ length: this.o.workers }, (_, w) => this.worker(w).catch((err: Error) => this.violation(err.message)))).then(() => {});
  }

  /** lets every worker finish the write it is in, then resolves */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  private randomClusters(): string[] {
    const out = this.o.clusters.filter(() => this.rnd() < 0.5);
    return out.length ? out : [this.pick(this.o.clusters)];
  }

  /** sends until the server answers something other than 5xx/429 or a dropped connection */
  private async send(method: string, path: string, body?: unknown, contentType?: string): Promise<{ res: KubeResponse; retried: boolean }> {
    const giveUpAt = Date.now() + (this.o.giveUpMs ?? 90_000);
    let retried = false;
    const kind = Object.entries(paths).find(([, p]) => path.startsWith(p))?.[0];
    const name = (body as { metadata?: { name?: string } } | undefined)?.metadata?.name ?? path.split('/').pop();
    const log = this.history.get(`${kind}/${name}`) ?? [];
    this.history.set(`${kind}/${name}`, log);
    for (let attempt = 0; ; attempt++) {
      let res: KubeResponse | undefined;
      let failure = '';
      try {
        res = await this.o.client.request(method, path, body, { timeoutMs: 10_000, contentType });
      } catch (err) {
        // connection refused or dropped: the server is down, or died with the request
        failure = (err as Error).message;
      }
      log.push(`${new Date().toISOString().slice(11, 23)} ${method} ${res ? res.status : `no answer (${failure.slice(0, 60)})`}`);
      if (res && res.status < 500 && res.status !== 429) return { res, retried };
      if (Date.now() > giveUpAt) throw new LedgerError(`${method} ${path}: no definitive answer within ${(this.o.giveUpMs ?? 90_000) / 1000}s (last: ${res ? `${res.status} ${res.text.slice(0, 200)}` : 'no connection'})`);
      retried = true;
      this.retries++;
      await sleep(Math.min(1000, 100 * 2 ** attempt) * (0.5 + this.rnd()));
    }
  }

  private violation(msg: string): void {
    this.violations.push(msg);
  }

  /** create; a 409 after a retry is our own earlier attempt when the stored object is what we sent */
  private async create(path: string, body: Record<string, unknown>, name: string, matches: (stored: Record<string, unknown>) => boolean): Promise<boolean> {
    const { res, retried } = await this.send('POST', path, body);
    if (res.status === 201) return true;
    if (res.status === 409 && retried) {
      const got = await this.send('GET', `${path}/${name}`);
      if (got.res.status === 200 && matches(got.res.body as Record<string, unknown>)) return true;
    }
    this.violation(`POST ${path} ${name}: ${res.status} ${res.text.slice(0, 200)}`);
    return false;
  }

  private async update(path: string, name: string, patch: unknown): Promise<boolean> {
    const { res } = await this.send('PATCH', `${path}/${name}`, patch, 'application/merge-patch+json');
    if (res.status === 200) return true;
    this.violation(`PATCH ${path}/${name}: ${res.status} ${res.text.slice(0, 200)}`);
    return false;
  }

  private async remove(path: string, name: string): Promise<boolean> {
    const { res, retried } = await this.send('DELETE', `${path}/${name}`);
    if (res.status === 200 || res.status === 202 || (res.status === 404 && retried)) return true;
    this.violation(`DELETE ${path}/${name}: ${res.status} ${res.text.slice(0, 200)}`);
    return false;
  }

  private ack(): void {
    this.acknowledged++;
  }

  private async worker(w: number): Promise<void> {
    const mine = () => [...this.policies.values()].filter((p) => p.present && p.group.startsWith(`w${w}-`));
    const templatesOf = (g: string) => [...this.templates.values()].filter((t) => t.present && t.group === g);
    while (!this.stopping) {
      const groups = mine();
      const r = this.rnd();
      if (!groups.length || (groups.length < (this.o.groupsPerWorker ?? 2) && r < 0.1)) {
        const group = `w${w}-g${this.seq++}`;
        const clusters = this.randomClusters();
        if (await this.create(paths.PropagationPolicy, policyBody(group, clusters), group, () => true)) {
          this.policies.set(group, { group, present: true, clusters });
          this.ack();
        }
        continue;
      }
      const group = this.pick(groups);
      const live = templatesOf(group.group);
      if ((r < 0.45 || !live.length) && live.length < (this.o.templatesPerGroup ?? 8)) {
        const kind: TemplateKind = this.rnd() < 0.5 ? 'Deployment' : 'ConfigMap';
        const name = `t${this.seq++}-${w}`;
        if (await this.create(paths[kind], templateBody(kind, name, group.group, 0), name, (s) => versionOf(s) === 0)) {
          this.templates.set(`${kind}/${name}`, { kind, name, group: group.group, present: true, version: 0 });
          this.ack();
        }
      } else if (r < 0.75 && live.length) {
        const t = this.pick(live);
        const next = t.version + 1;
        const body = templateBody(t.kind, t.name, t.group, next);
        if (await this.update(paths[t.kind], t.name, t.kind === 'ConfigMap' ? { data: body.data } : { spec: body.spec })) {
          t.version = next;
          this.ack();
        }
      } else if (r < 0.88 && live.length) {
        const t = this.pick(live);
        if (await this.remove(paths[t.kind], t.name)) {
          t.present = false;
          this.ack();
        }
      } else if (r < 0.96) {
        const clusters = this.randomClusters();
        if (await this.update(paths.PropagationPolicy, group.group, { spec: { placement: { clusterAffinity: { clusterNames: clusters } } } })) {
          group.clusters = clusters;
          this.ack();
        }
      } else {
        // retire the group: its templates first, so no binding is left without a policy to explain it
        for (const t of live) {
          if (await this.remove(paths[t.kind], t.name)) {
            t.present = false;
            this.ack();
          }
        }
        if (await this.remove(paths.PropagationPolicy, group.group)) {
          group.present = false;
          this.ack();
        }
      }
    }
  }
}
