import type { Command } from 'commander';
import type { CommandKit } from '../program.js';
import { addExamples } from '../program.js';
import { loadForReading, loadAgents, requireKnownWorkspace, requireKnownAgent } from '../load.js';
import { agentNumbers } from '../../core/query.js';
import { renderJson } from '../../render/json.js';
import { renderAgentNumbers } from '../../render/agent-numbers.js';

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
        // The spec's four fields, then which legs the agent takes and every agent of both legs.
        ctx.out(renderJson(rows));
        return 0;
      }
      const workspaces = opts.workspace ? [opts.workspace] : [...dir.workspaces].sort();
      ctx.out(renderAgentNumbers(agentPath, agents.agents.get(agentPath)?.name ?? null, workspaces, rows, ctx.chalk));
      return 0;
    }));
  addExamples(cmd, ['phone-dir agent-numbers agents/customer-service', 'phone-dir agent-numbers agent_stg_sales_7c3e1a --workspace staging --json']);
}
