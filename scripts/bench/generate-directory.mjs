// Builds a realistic directory of N numbers across two workspaces (staging, production) with agent
// folders, through phone-dir's own renderer, for benchmarks. Usage: generateDirectory(root, n).
import { mkdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const AREA_CODES = ['415', '650', '212', '310', '646', '718', '917', '206', '303', '512', '617', '702'];
const TYPES = ['inbound-outbound', 'inbound-only', 'outbound-only'];

export function benchNumber(i) {
  const area = AREA_CODES[Math.floor(i / 10000) % AREA_CODES.length];
  const exchange = 200 + Math.floor(i / (10000 * AREA_CODES.length));
  return `+1${area}${exchange}${String(i % 10000).padStart(4, '0')}`;
}

export async function generateDirectory(root, n, { agents = 50, poolSize = 0 } = {}) {
  const { renderViews, serialize } = await import(path.join(dist, 'core/views.js'));
  const ids = (a, ws) => `agent_${ws.slice(0, 3)}_${String(a).padStart(4, '0')}`;
  for (let a = 0; a < agents; a++) {
    const dir = path.join(root, 'agents', `agent-${a}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'agent.json'), JSON.stringify({ agent_name: `Agent ${a}` }));
    for (const ws of ['staging', 'production']) await writeFile(path.join(dir, `${ws}.json`), JSON.stringify({ agent_id: ids(a, ws) }));
  }
  const numbers = new Map();
  for (let i = 0; i < n; i++) {
    const phone = benchNumber(i);
    const inPool = i < poolSize;
    const workspaces = {};
    for (const ws of ['staging', 'production']) {
      const assigned = !inPool && i % 5 !== 0;
      const agent = i % agents;
      const type = TYPES[i % 3];
      const id = ids(agent, ws);
      workspaces[ws] = {
        import_method: 'sip-trunk', platform_ids: {}, import_date: '2025-11-16T09:00:00Z', termination_uri: 'acme-main.pstn.twilio.com',
        auth_username: 'retell_user', nickname: `Line ${i}`, inbound_webhook_url: null, last_modified: '2025-11-16T09:00:00Z',
        assignment: assigned ? {
          agent_path: `agents/agent-${agent}`, agent_name: `Agent ${agent}`, agent_id: id, assignment_type: type,
          inbound_agent_id: type === 'outbound-only' ? null : id, outbound_agent_id: type === 'inbound-only' ? null : id,
          assigned_date: '2025-11-16T09:00:00Z', last_modified: '2025-11-16T09:00:00Z', release_at: null,
        } : null,
      };
    }
    numbers.set(phone, {
      phone_number: phone, phone_number_type: 'local', provider: 'twilio', country_code: 'US',
      capabilities: { voice: true, sms: true, mms: true, fax: false },
      carrier: { phone_number_sid: `PN${createHash('md5').update(phone).digest('hex')}`, trunk_sid: 'TK7d3c6a1f0e9b8a7c6d5e4f3a2b1c0d9e', friendly_name: `Line ${i}`, date_created: '2025-11-15T10:00:00Z' },
      sip_config: { termination_uri: 'acme-main.pstn.twilio.com', origination_uri: 'sip:sip.retellai.com', auth_type: 'credential', has_credentials: true },
      notes: null, tags: i % 7 === 0 ? ['sales'] : [], pool: inPool ? 'bench-pool' : null, status: 'active',
      last_assigned: null, last_released: inPool ? new Date(Date.UTC(2025, 0, 1) + i * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
      workspaces,
    });
  }
  const dir = { numbers, workspaces: new Set(['staging', 'production']), stamps: { directory: { last_updated: '2025-11-19T12:00:00Z' }, workspaces: {} } };
  const views = renderViews(dir);
  await mkdir(path.join(root, 'phone-numbers'), { recursive: true });
  await writeFile(path.join(root, 'phone-numbers', 'directory.json'), serialize(views.directory));
  for (const [ws, v] of Object.entries(views.workspaces)) {
    await mkdir(path.join(root, 'phone-numbers', ws), { recursive: true });
    await writeFile(path.join(root, 'phone-numbers', ws, 'numbers.json'), serialize(v.numbers));
    await writeFile(path.join(root, 'phone-numbers', ws, 'assignments.json'), serialize(v.assignments));
  }
  if (poolSize) {
    await writeFile(path.join(root, 'phone-numbers', 'pools.json'), serialize({ version: '1.0.0', pools: { 'bench-pool': { workspace: 'staging', min_available: 0 } } }));
  }
}
