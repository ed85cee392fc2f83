// An in-process playground for one end-to-end file: its own temporary directories, kubectl for the
// control plane and for the members (contexts named after them), and one stop that removes it all.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Playground, type PlaygroundOptions } from '../../src/playground/playground.js';
import { Kubectl } from './kubectl.js';

export interface PlaygroundEnv {
  pg: Playground;
  /** kubectl on the control plane */
  karmada: Kubectl;
  /** kubectl on the members: `--context <member>` */
  members: Kubectl;
  stop(): Promise<void>;
}

/** starts a playground in fresh directories named after `prefix` (in-memory storage unless options say otherwise) */
export async function startPlayground(prefix: string, options: Omit<PlaygroundOptions, 'dataDir' | 'kubeconfigDir'>): Promise<PlaygroundEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix}-data-`));
  const kubeDir = mkdtempSync(join(tmpdir(), `${prefix}-kube-`));
  const removeDirs = () => {
    for (const d of [dataDir, kubeDir]) rmSync(d, { recursive: true, force: true });
  };
  let pg: Playground;
  try {
    pg = await Playground.start({ storage: 'memory', ...options, dataDir, kubeconfigDir: kubeDir });
  } catch (err) {
    removeDirs();
    throw err;
  }
  const karmada = new Kubectl(readFileSync(pg.karmadaConfigPath, 'utf8'));
  const members = new Kubectl(readFileSync(pg.membersConfigPath, 'utf8'));
  return {
    pg,
    karmada,
    members,
    async stop() {
      await pg.stop();
      karmada.cleanup();
      members.cleanup();
      removeDirs();
    },
  };
}
