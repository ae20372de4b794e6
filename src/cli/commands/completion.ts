import { Argument, type Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { completionScript, SHELLS, type Shell } from '../completion/scripts.js';

export function registerCompletion(program: Command, kit: CommandKit): void {
  const cmd = program.command('completion')
    .description('print a shell completion script (commands, flags, workspaces, agents, pools; offline)')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
    .action(kit.action(async (ctx, shell: Shell) => {
      ctx.out(completionScript(shell));
      return 0;
    }, { project: false }));
  addExamples(cmd, [
    'phone-dir completion bash > ~/.local/share/bash-completion/completions/phone-dir',
    'phone-dir completion zsh > ~/.zfunc/_phone-dir    # with fpath=(~/.zfunc $fpath) before compinit',
    'phone-dir completion fish > ~/.config/fish/completions/phone-dir.fish',
    'source <(phone-dir completion bash)',
  ]);
}
