// Who is asking: a client certificate signed by our CA (CN = user, O = groups), a bearer token
// from a token file (`token,user,uid,"group1,group2"`, as kube-apiserver's --token-auth-file), or a
// bearer token another authenticator knows (service account JWTs).
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import { parse as parseCsvLine } from './csv.js';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export type TokenTable = Map<string, UserInfo>;

export function loadTokenFile(path: string): TokenTable {
  const table: TokenTable = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const [token, name, uid, groups] = parseCsvLine(line);
    if (!token || !name) throw new Error(`${path}: each line needs at least token,user: ${JSON.stringify(line)}`);
    table.set(token, { name, uid, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] });
  }
  return table;
}

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** a client certificate is fixed for a TLS connection, so its user is worked out once per socket */
const certUsers = new WeakMap<TLSSocket, UserInfo | null>();

function certificateUser(socket: TLSSocket): UserInfo | undefined {
  let user = certUsers.get(socket);
  if (user === undefined) {
    user = null;
    if (socket.authorized) {
      const subject = socket.getPeerCertificate()?.subject;
      const cn = subject ? asList(subject.CN)[0] : undefined;
      if (cn) user = { name: cn, groups: [...asList(subject.O), 'system:authenticated'] };
    }
    certUsers.set(socket, user);
  }
  return user ?? undefined;
}

export function authenticate(req: IncomingMessage, tokens: TokenTable): UserInfo | undefined {
  const header = req.headers.authorization;
  if (header && /^bearer /i.test(header)) {
    const user = tokens.get(header.slice(7).trim());
    if (user) return { ...user, groups: [...user.groups, 'system:authenticated'] };
    return undefined;
  }
  return certificateUser(req.socket as TLSSocket);
}

/** a bearer token the static table does not know, e.g. a service account JWT */
export type BearerAuthenticator = (token: string) => Promise<UserInfo | undefined>;

export async function authenticateRequest(req: IncomingMessage, tokens: TokenTable, bearer?: BearerAuthenticator): Promise<UserInfo | undefined> {
  const user = authenticate(req, tokens);
  if (user || !bearer) return user;
  const header = req.headers.authorization;
  if (!header || !/^bearer /i.test(header)) return undefined;
  return bearer(header.slice(7).trim());
}

/** kube-apiserver's anonymous authenticator: only a request that presents no credentials at all */
export function anonymousUser(req: IncomingMessage): UserInfo | undefined {
  if (req.headers.authorization) return undefined;
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate === 'function' && Object.keys(socket.getPeerCertificate() ?? {}).length) return undefined;
  return { name: 'system:anonymous', groups: ['system:unauthenticated'] };
}
