// A small resource interpreter webhook for tests, after Karmada's examples/customresourceinterpreter:
// HTTPS on 127.0.0.1 (random port) with a certificate from its own test CA, answering
// ResourceInterpreterContext requests for a Workload kind (replicas from spec.replicas, revision and
// retention as JSON patches, health from status, status reflection and aggregation). Its behaviour
// can be changed while it runs (a delay, a failure answer) and every request is recorded.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCA, createSignedCert } from '../../src/apiserver/auth/certs.js';

export interface WebhookRequest {
  uid: string;
  operation: string;
  object: any;
  observedObject?: any;
  desiredReplicas?: number;
  aggregatedStatus?: any[];
}

export interface ExampleWebhook {
  url: string;
  /** base64 PEM of the CA that signed its certificate: clientConfig.caBundle */
  caBundle: string;
  requests: WebhookRequest[];
  /** how many replicas InterpretReplica reports for a given object (default spec.replicas) */
  replicasOf: (obj: any) => number;
  /** answers every request with successful: false and this message */
  failWith?: string;
  /** milliseconds before answering */
  delayMs: number;
  stop(): Promise<void>;
}

const patchOf = (ops: unknown[]) => ({ patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') });

function answer(hook: ExampleWebhook, req: WebhookRequest): Record<string, unknown> {
  if (hook.failWith) return { successful: false, status: { code: 500, message: hook.failWith } };
  const obj = req.object ?? {};
  switch (req.operation) {
    case 'InterpretReplica':
      return { successful: true, replicas: hook.replicasOf(obj), replicaRequirements: { resourceRequest: obj.spec?.template?.spec?.containers?.[0]?.resources?.requests ?? {} } };
    case 'ReviseReplica':
      return { successful: true, ...patchOf([{ op: 'replace', path: '/spec/replicas', value: req.desiredReplicas ?? 0 }]) };
    case 'Retain': {
      const paused = req.observedObject?.spec?.paused;
      return { successful: true, ...(paused === undefined ? {} : patchOf([{ op: 'add', path: '/spec/paused', value: paused }])) };
    }
    case 'AggregateStatus': {
      const ready = (req.aggregatedStatus ?? []).reduce((n, item) => n + (item.status?.readyReplicas ?? 0), 0);
      return { successful: true, ...patchOf([{ op: 'add', path: '/status', value: { readyReplicas: ready } }]) };
    }
    case 'InterpretStatus':
      return { successful: true, rawStatus: { readyReplicas: obj.status?.readyReplicas ?? 0 } };
    case 'InterpretHealth':
      return { successful: true, healthy: (obj.status?.readyReplicas ?? 0) === (obj.spec?.replicas ?? 0) };
    case 'InterpretDependency':
      return { successful: true, dependencies: obj.spec?.configMap ? [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: obj.metadata?.namespace, name: obj.spec.configMap }] : [] };
    default:
      return { successful: false, status: { code: 400, message: `operation ${req.operation} is not supported` } };
  }
}

export async function startExampleWebhook(): Promise<ExampleWebhook> {
  const ca = await createCA('interpreter-webhook-test-ca');
  const serving = await createSignedCert(ca, { commonName: 'interpreter-webhook', usage: 'server', ips: ['127.0.0.1'], dnsNames: ['localhost'] });
  const hook: ExampleWebhook = {
    url: '',
    caBundle: Buffer.from(ca.certPem).toString('base64'),
    requests: [],
    replicasOf: (obj) => obj.spec?.replicas ?? 0,
    delayMs: 0,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let context: { request?: WebhookRequest };
      try {
        context = JSON.parse(body);
      } catch {
        res.writeHead(400).end('not JSON');
        return;
      }
      const request = context.request;
      if (!request) {
        res.writeHead(400).end('no request');
        return;
      }
      hook.requests.push(request);
      const reply = JSON.stringify({ apiVersion: 'config.karmada.io/v1alpha1', kind: 'ResourceInterpreterContext', response: { uid: request.uid, ...answer(hook, request) } });
      const send = () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(reply);
      if (hook.delayMs > 0) setTimeout(send, hook.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  hook.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/interpreter`;
  return hook;
}
