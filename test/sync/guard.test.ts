import { catalog } from '../../src/providers/registry.js';
import { describe, it, expect } from 'vitest';
import { errorsIntroduced, refuseInvalidWrite } from '../../src/cli/sync/guard.js';
import { reconcile } from '../../src/core/reconcile.js';
import { cloneDirectory } from '../../src/core/clone.js';
import { renderViews } from '../../src/core/views.js';
import { emptyDirectory } from '../../src/core/model.js';
import { projectPaths } from '../../src/store/paths.js';
import { PhoneDirError } from '../../src/core/errors.js';
import type { PlatformSnapshot } from '../../src/core/snapshot.js';

const agents = { agents: new Map(), byId: new Map() };
const pools = { version: '1.0.0', pools: { sales: { workspace: 'staging' } } } as never;
const staging: PlatformSnapshot = {
  workspace: 'staging', platform: 'retell', agents: [],
  numbers: [{ phone_number: '+14155550101', platform_ids: {}, provider: 'custom', provider_is_platform: false, import_method: 'sip-trunk', nickname: null, inbound_agents: [], outbound_agents: [], termination_uri: 'x.pstn.carrier.com', auth_username: null, inbound_webhook_url: null, last_modified: '2026-01-01T00:00:00Z' }],
};
const paths = projectPaths('/project');
const now = new Date('2026-06-01T00:00:00Z');

function pooled() {
  const dir = reconcile({ current: emptyDirectory(), carriers: [], platforms: [staging], agents, now: '2026-01-01T00:00:00Z' });
  dir.numbers.get('+14155550101')!.pool = 'sales';
  return dir;
}

describe('the last guard before a sync writes', () => {
  it('refuses a write that validate would reject, naming the problem', () => {
    const current = pooled();
    const next = cloneDirectory(current);
    next.numbers.get('+14155550101')!.workspaces = {};
    const introduced = errorsIntroduced({ paths, current: { dir: current, parsed: renderViews(current) }, next, agents, pools, now, catalog: catalog() });
    expect(introduced.map((f) => f.rule)).toEqual(['pool-workspace']);
    let thrown: unknown;
    try { refuseInvalidWrite(introduced); } catch (err) { thrown = err; }
    expect(thrown).toBeInstanceOf(PhoneDirError);
    expect((thrown as PhoneDirError).exitCode).toBe(2);
    expect((thrown as Error).message).toMatch(/^sync would write a directory that validate rejects: \+14155550101 is in pool "sales" of workspace staging but is not imported there; nothing was written$/);
  });

  it('lets through what was already wrong before the sync, and a valid write', () => {
    const broken = pooled();
    broken.numbers.get('+14155550101')!.workspaces = {};
    expect(errorsIntroduced({ paths, current: { dir: broken, parsed: renderViews(broken) }, next: cloneDirectory(broken), agents, pools, now, catalog: catalog() })).toEqual([]);
    const valid = pooled();
    expect(errorsIntroduced({ paths, current: { dir: valid, parsed: renderViews(valid) }, next: cloneDirectory(valid), agents, pools, now, catalog: catalog() })).toEqual([]);
    expect(() => refuseInvalidWrite([])).not.toThrow();
  });

  it('lets through what a provider reports, such as an agent id no agents/ file names', () => {
    const current = pooled();
    const next = cloneDirectory(current);
    next.numbers.get('+14155550101')!.workspaces.staging!.assignment = { agent_path: null, agent_name: null, agent_id: 'agent_elsewhere', assignment_type: 'inbound-only', inbound_agent_id: 'agent_elsewhere', outbound_agent_id: null, assigned_date: null, last_modified: null, release_at: null };
    expect(errorsIntroduced({ paths, current: { dir: current, parsed: renderViews(current) }, next, agents, pools, now, catalog: catalog() })).toEqual([]);
  });
});
