// `karmada-ts certs rotate`: new serving certificates for every API server under a data dir (the
// playground's control plane and members, or one apiserver's), picked up by the running servers
// without a restart. Kubernetes' counterpart: kubeadm certs renew.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { rotateServingCert } from '../apiserver/auth/certs.js';

/** every directory under root (itself included, a few levels deep) that holds an API server's PKI */
function apiServerDataDirs(root: string, depth = 4): string[] {
  const found: string[] = [];
  if (existsSync(join(root, 'pki', 'ca.crt'))) found.push(root);
  if (depth === 0) return found;
  for (const name of readdirSync(root)) {
    const child = join(root, name);
    if (name !== 'pki' && statSync(child).isDirectory()) found.push(...apiServerDataDirs(child, depth - 1));
  }
  return found;
}

export function registerCertsCommand(program: Command): void {
  const certs = program.command('certs').description('manage the API servers\' certificates');
  certs
    .command('rotate')
    .description('issue new serving certificates (same CA) for every API server under --data-dir; running servers use them for new connections at once')
    .option('--data-dir <dir>', 'a playground\'s or an apiserver\'s data dir', '.karmada-ts')
    .option('--validity-days <n>', 'how long the new certificates are valid', (v) => Number(v), 365)
    .action(async (opts: { dataDir: string; validityDays: number }) => {
      const root = resolve(opts.dataDir);
      if (!existsSync(root)) throw new Error(`${root} does not exist`);
      if (!Number.isInteger(opts.validityDays) || opts.validityDays < 1) throw new Error(`--validity-days must be a whole number of days, got ${opts.validityDays}`);
      const dirs = apiServerDataDirs(root);
      if (dirs.length === 0) throw new Error(`no API server data dir (with pki/ca.crt) under ${root}`);
      for (const dir of dirs) {
        const { notAfter } = await rotateServingCert(dir, opts.validityDays);
        process.stdout.write(`${dir}: new serving certificate, valid until ${notAfter.toISOString()}\n`);
      }
    });
}
