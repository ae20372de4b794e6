import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { renderJson } from '../../render/json.js';
import { safeText } from '../../render/safe-text.js';
import type { AgentsPullResult } from '../agents/pull.js';

function pullText(r: AgentsPullResult): string {
  const lines: string[] = [];
  for (const plan of r.workspaces) {
    for (const a of plan.added) lines.push(`${r.dry_run ? 'would add' : 'added'} ${safeText(a.agent_path)}/${safeText(plan.workspace)}.json (${safeText(a.agent_id)}${a.agent_name ? `, ${safeText(a.agent_name)}` : ''})`);
  }
  const added = r.workspaces.reduce((n, p) => n + p.added.length, 0);
  const known = r.workspaces.reduce((n, p) => n + p.known.length, 0);
  lines.push(`agents pull: ${added} agent${added === 1 ? '' : 's'} ${r.dry_run ? 'to add' : 'added'}, ${known} already had a folder (${r.workspaces.map((p) => p.workspace).join(', ')})`);
  return `${lines.join('\n')}\n`;
}

export function registerAgents(program: Command, kit: CommandKit): void {
  const agents = program.command('agents').description('agent folders (agents/<name>/<workspace>.json) from the voice platforms');
  addExamples(agents, ['phone-dir agents pull', 'phone-dir agents pull --workspace staging --dry-run']);
  const pull = agents.command('pull')
    .description("create or complete agents/<name>/<workspace>.json and agent.json from each workspace's agent list, never changing a field written by hand")
    .option('-w, --workspace <ws...>', 'only these workspaces (default: every workspace of workspaces.json)')
    .option('--dry-run', 'show what would be written, write nothing')
    .action(kit.action(async (ctx, f: { workspace?: string[]; dryRun?: boolean }) => {
      const { runAgentsPull } = await import('../agents/pull.js');
      const result = await runAgentsPull(ctx, { workspaces: f.workspace ?? [], dryRun: Boolean(f.dryRun) });
      if (ctx.flags.json) ctx.out(renderJson(result));
      else {
        const text = pullText(result);
        ctx.status(text, result.written.length ? text.trimEnd().split('\n').pop()! : null);
      }
      return 0;
    }));
  addExamples(pull, ['phone-dir agents pull', 'phone-dir agents pull --workspace vapi-support --dry-run --json']);
}
