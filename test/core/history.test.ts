import { describe, it, expect } from 'vitest';
import { assignmentFacts, diffAssignmentFacts, diffDirectoryFacts, directoryFacts, sortChanges, viewFileOf, type FieldChange } from '../../src/core/history.js';

const record = (over: Record<string, unknown> = {}) => ({ phone_number: '+14155550101', pool: null, status: 'active', workspaces: { staging: {}, production: {} }, ...over });

describe('history diff', () => {
  it('reads presence, pool, status and workspaces from directory.json', () => {
    expect(directoryFacts(null)).toEqual({ in_directory: false, pool: null, status: null, workspaces: [] });
    expect(directoryFacts(record({ pool: 'p' }))).toEqual({ in_directory: true, pool: 'p', status: 'active', workspaces: ['production', 'staging'] });
    expect(diffDirectoryFacts([directoryFacts(record())], directoryFacts(record({ status: 'reserved', workspaces: { staging: {} } })))).toEqual([
      { workspace: null, field: 'status', from: 'active', to: 'reserved' },
      { workspace: 'production', field: 'in_workspace', from: true, to: false },
    ]);
  });

  it('reads both sides and their weights from assignments.json; unassigned is no agent', () => {
    const weighted = { assignment_type: 'inbound-outbound', agent_id: 'a1', agent_path: 'agents/a', inbound_agent_id: 'a1', outbound_agent_id: 'a1',
      inbound_agents: [{ agent_id: 'a1', agent_path: 'agents/a', weight: 0.7 }, { agent_id: 'b1', agent_path: 'agents/b', weight: 0.3 }] };
    expect(assignmentFacts(weighted)).toEqual({
      assignment_type: 'inbound-outbound',
      inbound_agents: [{ agent_id: 'a1', agent_path: 'agents/a', weight: 0.7 }, { agent_id: 'b1', agent_path: 'agents/b', weight: 0.3 }],
      outbound_agents: [{ agent_id: 'a1', agent_path: 'agents/a', weight: 1 }],
    });
    expect(assignmentFacts({ assignment_type: 'unassigned' })).toEqual({ assignment_type: null, inbound_agents: [], outbound_agents: [] });
    const outOnly = { assignment_type: 'outbound-only', agent_id: 'c1', agent_path: 'agents/c', inbound_agent_id: null, outbound_agent_id: 'c1' };
    expect(diffAssignmentFacts('staging', [assignmentFacts(weighted)], assignmentFacts(outOnly))).toEqual([
      { workspace: 'staging', field: 'assignment_type', from: 'inbound-outbound', to: 'outbound-only' },
      { workspace: 'staging', field: 'inbound_agents', from: assignmentFacts(weighted).inbound_agents, to: [] },
      { workspace: 'staging', field: 'outbound_agents', from: [{ agent_id: 'a1', agent_path: 'agents/a', weight: 1 }], to: [{ agent_id: 'c1', agent_path: 'agents/c', weight: 1 }] },
    ]);
  });

  it('a merge reports only values that differ from every parent, from the first parent', () => {
    const [main, side] = [directoryFacts(record({ status: 'protected' })), directoryFacts(record({ status: 'reserved', pool: 'p' }))];
    expect(diffDirectoryFacts([main, side], directoryFacts(record({ status: 'protected', pool: 'p' })))).toEqual([]);
    expect(diffDirectoryFacts([main, side], directoryFacts(record({ status: 'active', pool: 'p' })))).toEqual([{ workspace: null, field: 'status', from: 'protected', to: 'active' }]);
  });

  it('orders directory-wide changes first, then workspaces by name, fields in a fixed order', () => {
    const c = (workspace: string | null, field: FieldChange['field']): FieldChange => ({ workspace, field, from: null, to: null });
    expect(sortChanges([c('staging', 'outbound_agents'), c('production', 'in_workspace'), c(null, 'status'), c('staging', 'in_workspace'), c(null, 'in_directory')]))
      .toEqual([c(null, 'in_directory'), c(null, 'status'), c('production', 'in_workspace'), c('staging', 'in_workspace'), c('staging', 'outbound_agents')]);
  });

  it('knows which paths are views', () => {
    expect(viewFileOf('phone-numbers/directory.json')).toEqual({ kind: 'directory' });
    expect(viewFileOf('phone-numbers/staging/assignments.json')).toEqual({ kind: 'assignments', workspace: 'staging' });
    for (const p of ['phone-numbers/twilio/assignments.json', 'phone-numbers/a/b/assignments.json', 'phone-numbers/staging/numbers.json', 'x/phone-numbers/directory.json']) expect(viewFileOf(p)).toBeNull();
  });
});
