// `karmadactl completion bash|zsh` (pkg/karmadactl/completion): a shell script completing the command
// names, each command's flags (cobra generates it from the command tree; so does this) and, through
// `karmadactl __complete WORDS...` as cobra's dynamic completion, resource types, resource names and
// cluster names read from the control plane.
import { globalFlags, splitFlags, type FlagSpec } from './args.js';

interface CompletionCommand {
  name: string;
  flags: string[];
}

export function completionScript(shell: string, cli: string, commands: CompletionCommand[]): string {
  if (shell !== 'bash' && shell !== 'zsh') throw new Error(`Unsupported shell type "${shell}".`);
  const fn = `_${cli.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const cases = commands.map((c) => `    ${c.name}) opts="${c.flags.join(' ')}" ;;`).join('\n');
  const bash = `# ${shell} completion for ${cli}
${fn}() {
  local cur cmd opts i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  if [[ "$cur" != -* ]] && [ -n "$cmd" ]; then
    local dynamic
    dynamic=$(${cli} __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null | grep -v '^:')
    if [ -n "$dynamic" ]; then
      COMPREPLY=( $(compgen -W "$dynamic" -- "$cur") )
      return 0
    fi
  fi
  if [ -z "$cmd" ]; then
    COMPREPLY=( $(compgen -W "${commands.map((c) => c.name).join(' ')}" -- "$cur") )
    return 0
  fi
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -F ${fn} ${cli}
`;
  return shell === 'bash' ? bash : `#compdef ${cli}\nautoload -U +X bashcompinit && bashcompinit\n${bash}`;
}

/** what a word being completed can be, from the words before it */
export type CompletionTarget =
  | { kind: 'types' }
  | { kind: 'names'; type: string; namespace?: string; slashPrefix?: string }
  | { kind: 'clusters' }
  | { kind: 'words'; words: string[] }
  | { kind: 'none' };

/** commands that take TYPE then NAMEs, as kubectl's (and karmadactl's) get, describe and friends */
const typeThenNames = new Set(['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'patch']);
/** commands whose first argument is a member cluster */
const clusterFirst = new Set(['unjoin', 'cordon', 'uncordon', 'unregister']);
/** flags of those commands that take a value in the next word, besides the global ones */
const valueFlags: FlagSpec[] = [...globalFlags, { name: 'selector', short: 'l', value: true }, { name: 'filename', short: 'f', value: true }, { name: 'type', value: true }, { name: 'patch', short: 'p', value: true }];

/**
 * `words`: the command line after the program name, the last being the word under the cursor ('' for a
 * new one), as cobra's __complete receives it. Pure: the caller lists what the target names.
 */
export function completionTarget(words: string[]): { target: CompletionTarget; prefix: string } {
  const prefix = words.at(-1) ?? '';
  let before: ReturnType<typeof splitFlags>;
  try {
    before = splitFlags(words.slice(0, -1), valueFlags);
  } catch {
    return { target: { kind: 'none' }, prefix };
  }
  const [command, ...positional] = before.rest.filter((w) => !w.startsWith('-'));
  const namespace = before.flags.namespace?.at(-1);
  if (!command) return { target: { kind: 'none' }, prefix };
  if (typeThenNames.has(command)) {
    const slash = prefix.indexOf('/');
    if (positional.length === 0 && slash > 0) return { target: { kind: 'names', type: prefix.slice(0, slash), namespace, slashPrefix: prefix.slice(0, slash + 1) }, prefix };
    if (positional.length === 0) return { target: { kind: 'types' }, prefix };
    const type = positional[0]!;
    if (type.includes('/') || type.includes(',')) return { target: { kind: 'none' }, prefix };
    return { target: { kind: 'names', type, namespace }, prefix };
  }
  if (clusterFirst.has(command)) return { target: positional.length === 0 ? { kind: 'clusters' } : { kind: 'none' }, prefix };
  if (command === 'taint') {
    if (positional.length === 0) return { target: { kind: 'words', words: ['clusters'] }, prefix };
    if (positional.length === 1) return { target: { kind: 'clusters' }, prefix };
  }
  return { target: { kind: 'none' }, prefix };
}

/** cobra's __complete answer: the candidates starting with prefix, one a line, then `:4` (no file completion) */
export function completionOutput(candidates: string[], prefix: string): string {
  const lines = [...new Set(candidates)].filter((c) => c.startsWith(prefix)).sort();
  return [...lines, ':4'].join('\n') + '\n';
}
