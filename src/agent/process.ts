// karmada-agent as a process beside a simulated member, the way `karmadactl register` installs the
// agent Deployment on a real one: its kubeconfigs, log and pid in one directory per cluster, started
// detached (it outlives karmadactl) and stopped by `karmadactl unregister` through its pid file.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
/** the karmada-ts CLI beside this build (.ts from source, .js from dist) */
const cliEntry = join(dirname(here), '..', 'cli', `karmada-ts${extname(here)}`);

/** $KARMADA_TS_AGENT_DIR/<cluster>, else ~/.karmada-ts/agents/<cluster> */
export function agentDir(cluster: string, base = process.env.KARMADA_TS_AGENT_DIR ?? join(homedir(), '.karmada-ts', 'agents')): string {
  return join(base, cluster);
}

interface AgentFiles {
  karmadaKubeconfig: string;
  memberKubeconfig: string;
  log: string;
  pid: string;
}

function agentFiles(dir: string): AgentFiles {
  return { karmadaKubeconfig: join(dir, 'karmada-agent.conf'), memberKubeconfig: join(dir, 'member.conf'), log: join(dir, 'agent.log'), pid: join(dir, 'agent.pid') };
}

/** writes the kubeconfigs and starts `karmada-ts agent`; returns its pid */
export function spawnAgent(dir: string, karmadaKubeconfig: string, memberKubeconfig: string, args: string[]): number {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = agentFiles(dir);
  writeFileSync(f.karmadaKubeconfig, karmadaKubeconfig, { mode: 0o600 });
  writeFileSync(f.memberKubeconfig, memberKubeconfig, { mode: 0o600 });
  const out = openSync(f.log, 'a');
  const script = `import(${JSON.stringify(cliEntry)}).then((m) => m.main(['node', 'karmada-ts', ...process.argv.slice(1)])).catch((err) => { process.stderr.write('error: ' + (err instanceof Error ? err.message : String(err)) + '\\n'); process.exit(1); });`;
  const loader = extname(here) === '.ts' ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, '-e', script, '--', 'agent', '--karmada-kubeconfig', f.karmadaKubeconfig, '--kubeconfig', f.memberKubeconfig, ...args], { cwd: join(dirname(here), '..', '..'), detached: true, stdio: ['ignore', out, out], env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } });
  child.unref();
  writeFileSync(f.pid, String(child.pid));
  return child.pid!;
}

/** whether a process with this pid runs (signal 0 only checks) */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** stops the agent this directory's pid file names (SIGTERM, then SIGKILL after timeoutMs); true if one ran */
export async function stopAgent(dir: string, timeoutMs = 10_000): Promise<boolean> {
  const f = agentFiles(dir);
  if (!existsSync(f.pid)) return false;
  const pid = Number(readFileSync(f.pid, 'utf8').trim());
  let ran = false;
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
    ran = true;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(f.pid, { force: true });
  return ran;
}

/** removes the directory (kubeconfigs included) once the agent is stopped */
export function removeAgentDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
