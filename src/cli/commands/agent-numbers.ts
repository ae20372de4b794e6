import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, loadAgents, requireKnownWorkspace, requireKnownAgent } from '../load.js';
import { agentNumbers } from '../../core/query.js';
import { renderJson } from '../../render/json.js';
import { renderTable } from '../../render/table.js';

export function registerAgentNumbers(program: Command, kit: CommandKit): void {
  const cmd = program.command('agent-numbers')
    .description('numbers of one agent, per workspace')
    .argument('<agent>', 'agent path (agents/sales-agent) or agent id (agent_…)')
    .option('-w, --workspace <ws>', 'only this workspace')
    .action(kit.action(async (ctx, input: string, opts: { workspace?: string }) => {
      const { dir } = await loadForReading(ctx);
      await requireKnownWorkspace(ctx, dir, opts.workspace);
      const agents = await loadAgents(ctx);
      const agentPath = requireKnownAgent(agents, dir, input, opts.workspace);
      const rows = agentNumbers(dir, agentPath, opts.workspace);
      if (ctx.flags.json) {
        ctx.out(renderJson(rows.map(({ workspace, phone_number, assignment_type, nickname }) => ({ workspace, phone_number, assignment_type, nickname }))));
        return 0;
      }
      const name = agents.agents.get(agentPath)?.name;
      const lines = [`${ctx.chalk.bold('Agent:')} ${name ?? ctx.chalk.yellow('(no agent folder)')}`, `Path: ${agentPath}`];
      const workspaces = opts.workspace ? [opts.workspace] : [...dir.workspaces].sort();
      for (const ws of workspaces) {
        const mine = rows.filter((r) => r.workspace === ws);
        lines.push('', `${ws.charAt(0).toUpperCase()}${ws.slice(1)} Numbers (${mine.length}):`);
        if (mine.length) {
          // With different inbound and outbound agents, say which leg this agent has.
          const direction = (type: string, d: string) => (d === 'both' || type !== 'inbound-outbound' ? '' : `, ${d} leg`);
          lines.push(renderTable([], mine.map((r) => [`  ${r.phone_number}`, `(${r.assignment_type}${direction(r.assignment_type, r.direction)})`, r.nickname ?? ''])));
        }
      }
      ctx.out(`${lines.join('\n')}\n`);
      return 0;
    }));
  addExamples(cmd, ['phone-dir agent-numbers agents/customer-service', 'phone-dir agent-numbers agent_stg_sales_7c3e1a --workspace staging --json']);
}
