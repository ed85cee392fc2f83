// `karmadactl completion bash|zsh` (pkg/karmadactl/completion): a shell script completing the command
// names and each command's flags (cobra generates it from the command tree; so does this).

export interface CompletionCommand {
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
