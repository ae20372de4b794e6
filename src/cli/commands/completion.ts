import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { UsageError } from '../../core/errors.js';

function commandNames(program: Command): string[] {
  return program.commands.map((c) => c.name()).filter((n) => n !== 'help').sort();
}

function subcommandsOf(program: Command, name: string): string[] {
  const cmd = program.commands.find((c) => c.name() === name);
  return (cmd?.commands ?? []).map((c) => c.name()).filter((n) => n !== 'help');
}

/** What may follow a command: its subcommands (`pool assign`, `number import`…) and its options. */
function optionsOf(program: Command, name: string): string[] {
  const cmd = program.commands.find((c) => c.name() === name);
  return [...subcommandsOf(program, name), ...(cmd?.options ?? []).map((o) => o.long).filter((l): l is string => Boolean(l))];
}

export function completionScript(program: Command, shell: string): string {
  const names = commandNames(program);
  const globals = program.options.map((o) => o.long).filter(Boolean).join(' ');
  if (shell === 'bash') {
    const cases = names.map((n) => `    ${n}) opts="${optionsOf(program, n).join(' ')} ${globals}" ;;`).join('\n');
    return `# phone-dir bash completion: source <(phone-dir completion bash)
_phone_dir() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd=\${COMP_WORDS[1]} opts
  if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=($(compgen -W "${names.join(' ')} ${globals}" -- "$cur")); return; fi
  case "$cmd" in
${cases}
    *) opts="${globals}" ;;
  esac
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _phone_dir phone-dir
`;
  }
  if (shell === 'zsh') {
    return `#compdef phone-dir
# phone-dir zsh completion: source <(phone-dir completion zsh)
_phone_dir() {
  local -a cmds
  cmds=(${names.map((n) => `'${n}:${(program.commands.find((c) => c.name() === n)?.description() ?? '').replace(/'/g, '').replace(/:/g, ' -')}'`).join(' ')})
  if (( CURRENT == 2 )); then _describe 'command' cmds; return; fi
  case $words[2] in
${names.map((n) => `    ${n}) compadd -- ${optionsOf(program, n).join(' ')} ${globals} ;;`).join('\n')}
  esac
}
compdef _phone_dir phone-dir
`;
  }
  if (shell === 'fish') {
    return `# phone-dir fish completion: phone-dir completion fish > ~/.config/fish/completions/phone-dir.fish
${names.map((n) => `complete -c phone-dir -n '__fish_use_subcommand' -a ${n}`).join('\n')}
${names.flatMap((n) => optionsOf(program, n).map((o) => `complete -c phone-dir -n '__fish_seen_subcommand_from ${n}' ${o.startsWith('--') ? `-l ${o.slice(2)}` : `-a ${o}`}`)).join('\n')}
`;
  }
  throw new UsageError(`completion: unknown shell "${shell}" (bash, zsh or fish)`);
}

export function registerCompletion(program: Command, kit: CommandKit): void {
  const cmd = program.command('completion')
    .description('print a shell completion script')
    .argument('<shell>', 'bash | zsh | fish')
    .action(kit.action(async (ctx, shell: string) => {
      ctx.out(completionScript(program, shell));
      return 0;
    }, { project: false }));
  addExamples(cmd, ['source <(phone-dir completion bash)', 'phone-dir completion fish > ~/.config/fish/completions/phone-dir.fish']);
}
