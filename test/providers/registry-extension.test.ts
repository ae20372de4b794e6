/**
 * A new voice platform is one adapter plus one registry entry: this test registers one of its own (an
 * in-memory "Switchboard" platform that addresses numbers by id and binds inbound calls only) and runs the
 * real CLI in-process over it: sync, validate, reading commands, pool assign / release and number update.
 * Nothing outside the entry below knows the name `switchboard`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { registerPlatform, unregister } from '../../src/providers/registry.js';
import type { PlatformEntry } from '../../src/providers/entry.js';
import type { NumberRef, UpdateBindingOptions, VoicePlatform } from '../../src/ports/voice-platform.js';
import type { PlatformNumberSnapshot } from '../../src/core/snapshot.js';

const NAME = 'switchboard';
const WS = 'lab';
const AGENT = 'sb-agent-1';

interface Line { id: string; e164: string; agent: string | null; label: string | null }

/** The platform's whole account, in memory; every call is recorded. */
const lines = new Map<string, Line>([
  ['ln-1', { id: 'ln-1', e164: '+14155550901', agent: AGENT, label: 'Front' }],
  ['ln-2', { id: 'ln-2', e164: '+14155550902', agent: null, label: 'Spare' }],
]);
const calls: string[] = [];

function snapshotOf(line: Line): PlatformNumberSnapshot {
  return {
    phone_number: line.e164, platform_ids: { switchboard_phone_number_id: line.id }, provider: NAME, provider_is_platform: true,
    import_method: 'direct-purchase', nickname: line.label, inbound_agents: line.agent ? [{ agent_id: line.agent, weight: 1 }] : [],
    outbound_agents: [], termination_uri: null, auth_username: null, inbound_webhook_url: null, last_modified: '2026-01-01T00:00:00Z',
  };
}

function find(ref: NumberRef): Line | undefined {
  const id = ref.platform_ids?.switchboard_phone_number_id;
  return id ? lines.get(id) : [...lines.values()].find((l) => l.e164 === ref.phone_number);
}

const entry: PlatformEntry = {
  name: NAME,
  label: 'Switchboard',
  capabilities: { outboundBinding: false, weightedAgents: false, numberAddress: 'id', agentIdPattern: /^sb-agent-\d+$/ },
  baseUrlEnv: 'PHONE_DIR_SWITCHBOARD_BASE_URL',
  numberProviders: [NAME],
  async create(workspace, credentials): Promise<VoicePlatform> {
    expect(credentials.apiKey).toBe('sb-key');
    return {
      name: NAME, workspace, capabilities: entry.capabilities,
      async fetchSnapshot() {
        calls.push('fetchSnapshot');
        return { workspace, platform: NAME, numbers: [...lines.values()].map(snapshotOf), agents: [{ agent_id: AGENT, agent_name: 'Switchboard agent' }] };
      },
      async listAgents() { return [{ agent_id: AGENT, agent_name: 'Switchboard agent' }]; },
      async getNumber(ref) { const l = find(ref); return l ? snapshotOf(l) : null; },
      async importNumber() { throw new Error('not used here'); },
      async updateNumber(ref: NumberRef, changes: UpdateBindingOptions) {
        calls.push(`update ${ref.platform_ids?.switchboard_phone_number_id ?? ref.phone_number} ${JSON.stringify(changes)}`);
        const l = find(ref)!;
        if (changes.inbound_agents) l.agent = changes.inbound_agents[0]?.agent_id ?? null;
        return snapshotOf(l);
      },
      async deleteNumber(ref) { const l = find(ref); if (l) lines.delete(l.id); return { status: l ? 'deleted' : 'not-found' }; },
    };
  },
};

async function cli(root: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => { stdout += s; } }, stderr: { write: (s: string) => { stderr += s; } } };
  const code = await main(['-C', root, ...argv], { io, env: { SWITCHBOARD_KEY: 'sb-key', NO_COLOR: '1', CI: 'true' }, cwd: root });
  return { code, stdout, stderr };
}

describe('a voice platform registered from outside the code base', () => {
  let root: string;
  beforeAll(async () => {
    registerPlatform(entry);
    root = await mkdtemp(path.join(tmpdir(), 'phone-dir-registry-'));
    await writeFile(path.join(root, 'workspaces.json'), JSON.stringify({ [WS]: { platform: NAME, api_key_env: 'SWITCHBOARD_KEY' } }));
    await mkdir(path.join(root, 'agents', 'front-desk'), { recursive: true });
    await writeFile(path.join(root, 'agents', 'front-desk', 'agent.json'), JSON.stringify({ agent_name: 'Front desk' }));
    await writeFile(path.join(root, 'agents', 'front-desk', `${WS}.json`), JSON.stringify({ agent_id: AGENT }));
    expect((await cli(root, 'init')).code).toBe(0);
  });
  afterAll(async () => {
    unregister(NAME);
    await rm(root, { recursive: true, force: true });
  });

  it('syncs, validates, and shows its numbers with its platform and provider', async () => {
    const synced = await cli(root, 'sync', '--all');
    expect(synced.code, synced.stderr).toBe(0);
    expect(calls).toContain('fetchSnapshot');
    const numbers = JSON.parse(await readFile(path.join(root, 'phone-numbers', WS, 'numbers.json'), 'utf8'));
    expect(numbers.platform).toBe(NAME);
    expect(numbers.numbers[0]).toMatchObject({ phone_number: '+14155550901', provider: NAME });
    const validated = await cli(root, 'validate', '--json');
    expect(JSON.parse(validated.stdout).errors).toEqual([]);
    expect(validated.code).toBe(0);
    const listed = JSON.parse((await cli(root, 'list', '--json')).stdout);
    expect(listed.map((n: { workspaces: Record<string, { platform: string }> }) => n.workspaces[WS]!.platform)).toEqual([NAME, NAME]);
    expect((await cli(root, 'show', '+14155550901')).stdout).toContain('    Platform: Switchboard\n');
    expect((await cli(root, 'sync', '--all', '--check')).code).toBe(0);
  });

  it('its capabilities decide: inbound-only binding by its own id, an outbound type refused with exit 2', async () => {
    await writeFile(path.join(root, 'phone-numbers', 'pools.json'), JSON.stringify({ version: '1.0.0', pools: { desk: { workspace: WS } } }));
    expect((await cli(root, 'number', 'update', '+14155550902', '--workspace', WS, '--pool', 'desk')).code).toBe(0);
    const refused = await cli(root, 'pool', 'assign', '--workspace', WS, '--agent', 'agents/front-desk', '--type', 'inbound-outbound');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Switchboard binds an agent to a number for inbound calls only/);

    calls.length = 0;
    const assigned = await cli(root, 'pool', 'assign', '--workspace', WS, '--agent', 'agents/front-desk', '--json');
    expect(assigned.code, assigned.stderr).toBe(0);
    expect(JSON.parse(assigned.stdout)).toMatchObject({ phone_number: '+14155550902', assignment_type: 'inbound-only', agent_id: AGENT });
    // Addressed by the id phone-dir recorded; no outbound side is sent to a platform without one.
    expect(calls).toEqual([`update ln-2 ${JSON.stringify({ inbound_agents: [{ agent_id: AGENT, weight: 1 }] })}`]);
    expect(lines.get('ln-2')!.agent).toBe(AGENT);

    expect((await cli(root, 'pool', 'release', '+14155550902', '--workspace', WS)).code).toBe(0);
    expect(lines.get('ln-2')!.agent).toBeNull();
    expect((await cli(root, 'sync', '--all', '--check')).code).toBe(0);
    expect((await cli(root, 'validate')).code).toBe(0);
  });
});
