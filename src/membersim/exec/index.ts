// pods/exec on a simulated member over the WebSocket channel protocol kubectl speaks
// (v5.channel.k8s.io, v4 as fallback): channel 0 stdin, 1 stdout, 2 stderr, 3 the final Status.
// The command runs in the simulated container (commands.ts), against its env and mounted files.
import type { Socket } from 'node:net';
import { errors } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ApiExtension, ApiServer } from '../../apiserver/server.js';
import { sendError } from '../../apiserver/http/respond.js';
import { resolveContainer } from '../logs.js';
import { containerEnv, mountedFiles, runCommand, type ExecResult } from './commands.js';
import { chooseProtocol, encodeFrame, FrameReader, handshakeResponse, opcodes } from './websocket.js';

type Obj = Record<string, any>;

const execPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec\/?$/;

/** the Status kubectl reads on the error channel when the command ended */
export function exitStatus(argv: string[], r: ExecResult): Obj {
  if (r.notFound) {
    return { metadata: {}, status: 'Failure', message: `Internal error occurred: error executing command in container: failed to exec in container: exec: "${argv[0]}": executable file not found in $PATH: unknown`, reason: 'InternalError', code: 500 };
  }
  if (r.exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${r.exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(r.exitCode) }] },
  };
}

/** the ConfigMaps and Secrets the pod's container refers to, read once before the command runs */
async function referencedObjects(server: ApiServer, pod: KubeObject, container: Obj): Promise<{ configMap(n: string): KubeObject | undefined; secret(n: string): KubeObject | undefined }> {
  const cms = new Set<string>();
  const secrets = new Set<string>();
  for (const v of ((pod.spec as Obj)?.volumes ?? []) as Obj[]) {
    if (v.configMap?.name) cms.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of (v.projected?.sources ?? []) as Obj[]) {
      if (s.configMap?.name) cms.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  for (const f of (container.envFrom ?? []) as Obj[]) {
    if (f.configMapRef?.name) cms.add(f.configMapRef.name);
    if (f.secretRef?.name) secrets.add(f.secretRef.name);
  }
  for (const e of (container.env ?? []) as Obj[]) {
    if (e.valueFrom?.configMapKeyRef?.name) cms.add(e.valueFrom.configMapKeyRef.name);
    if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
  }
  const ns = pod.metadata.namespace;
  const read = async (resource: string, names: Set<string>) => {
    const def = server.registry.versionsOf('', resource)[0];
    const out = new Map<string, KubeObject>();
    for (const n of names) {
      const o = await server.objects.tryGet(def, ns, n);
      if (o) out.set(n, o);
    }
    return out;
  };
  const [cmMap, secretMap] = await Promise.all([read('configmaps', cms), read('secrets', secrets)]);
  return { configMap: (n) => cmMap.get(n), secret: (n) => secretMap.get(n) };
}

/** how long a command takes to start when nothing waits for stdin (see stream) */
const processStartMs = 50;

function stream(socket: Socket, protocol: string, argv: string[], wantsStdin: boolean, run: (stdin: string) => ExecResult): void {
  const send = (channel: number, data: string | Buffer) => {
    if (!socket.destroyed) socket.write(encodeFrame(opcodes.binary, Buffer.concat([Buffer.from([channel]), Buffer.from(data)])));
  };
  let stdin = '';
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    const r = run(stdin);
    if (r.stdout) send(1, r.stdout);
    if (r.stderr) send(2, r.stderr);
    send(3, JSON.stringify(exitStatus(argv, r)));
    if (!socket.destroyed) socket.end(encodeFrame(opcodes.close, Buffer.from([0x03, 0xe8])));
  };
  const reader = new FrameReader();
  socket.on('data', (chunk: Buffer) => {
    for (const f of reader.push(chunk)) {
      if (f.opcode === opcodes.ping) socket.write(encodeFrame(opcodes.pong, f.payload));
      else if (f.opcode === opcodes.close) finish();
      else if (f.opcode === opcodes.binary && f.payload.length) {
        const channel = f.payload[0];
        if (channel === 0) stdin += f.payload.subarray(1).toString('utf8');
        // v5: [255, channel] closes a channel; stdin closed means the command may run
        else if (channel === 255 && f.payload[1] === 0) finish();
      }
    }
  });
  socket.on('end', finish);
  socket.on('error', () => socket.destroy());
  // without stdin the command starts at once, but not within the upgrade's turn: kubectl's WebSocket
  // client creates its streams after the upgrade while it already reads, and discards what comes
  // first ("Unknown stream id 2, discarding message"); a real runtime takes tens of ms to start it
  if (!wantsStdin || protocol !== 'v5.channel.k8s.io') setTimeout(finish, processStartMs);
}

/** pods/exec on a member's API server */
export function podExec(server: ApiServer): ApiExtension {
  server.registry.addExtraSubresource('', 'pods', { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] });
  return {
    name: 'pod-exec',
    async handle(req, res, url) {
      const m = execPath.exec(url.pathname);
      if (!m || (req.method !== 'GET' && req.method !== 'POST')) return false;
      try {
        const q = url.searchParams;
        const argv = q.getAll('command');
        if (!argv.length) throw errors.badRequest('you must specify at least 1 command');
        const pods = server.registry.versionsOf('', 'pods')[0];
        const pod = await server.objects.get(pods, decodeURIComponent(m[1]), decodeURIComponent(m[2]));
        const { container } = resolveContainer(pod, { container: q.get('container') || undefined, follow: false, previous: false, timestamps: false });
        if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw errors.badRequest('Upgrade request required');
        const protocol = chooseProtocol(req.headers['sec-websocket-protocol'] as string | undefined);
        const key = req.headers['sec-websocket-key'] as string | undefined;
        if (!protocol || !key) throw errors.badRequest(`unable to upgrade: the client must offer one of the subprotocols ${'v5.channel.k8s.io, v4.channel.k8s.io'}`);
        const objects = await referencedObjects(server, pod, container);
        const env = { hostname: ((pod.spec as Obj).hostname as string | undefined) ?? pod.metadata.name!, env: containerEnv(pod, container, objects), files: mountedFiles(pod, container, objects) };
        const socket = req.socket as Socket;
        socket.write(handshakeResponse(key, protocol));
        const wantsStdin = q.get('stdin') === 'true' || q.get('stdin') === '1';
        stream(socket, protocol, argv, wantsStdin, (stdin) => runCommand(argv, { ...env, stdin }));
      } catch (err) {
        sendError(res, err);
      }
      return true;
    },
  };
}
