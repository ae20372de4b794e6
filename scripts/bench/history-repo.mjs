// Builds a Git repository of many sync commits with `git fast-import` (seconds, not one `git commit` per
// version), for `phone-dir history`'s benchmark and tests. Every version of the views is rendered by
// phone-dir's own renderer (dist/), so the files are byte for byte what sync writes. Each commit changes one
// number: a staging agent, the pool, the status, or the path of a production agent (a renamed agent folder,
// same id). Returns the commit subjects in order and, for `target`, the changes history must report.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchNumber } from './generate-directory.mjs';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const WORKSPACES = ['production', 'staging'];
const STATUSES = ['active', 'reserved', 'protected'];
const STAGING_AGENTS = [0, 1, 2, null];
const id = (ws, a) => `agent_${ws.slice(0, 3)}_${a}`;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function assignment(ws, agent, agentPath) {
  return { agent_path: agentPath, agent_name: `Agent ${agent}`, agent_id: id(ws, agent), assignment_type: 'inbound-outbound',
    inbound_agent_id: id(ws, agent), outbound_agent_id: id(ws, agent), assigned_date: '2025-01-01T00:00:00Z', last_modified: '2025-01-01T00:00:00Z', release_at: null };
}
const legs = (a) => (a ? [{ agent_id: a.agent_id, agent_path: a.agent_path, weight: 1 }] : []);

function initialRecord(i) {
  const phone = benchNumber(i);
  const workspaces = {};
  for (const ws of WORKSPACES) {
    workspaces[ws] = { import_method: 'sip-trunk', platform_ids: {}, import_date: '2025-01-01T00:00:00Z', termination_uri: 'acme-main.pstn.twilio.com',
      auth_username: null, nickname: `Line ${i}`, inbound_webhook_url: null, last_modified: null,
      assignment: assignment(ws, i % 3, `agents/agent-${i % 3}`) };
  }
  return { phone_number: phone, phone_number_type: 'local', provider: 'twilio', country_code: 'US',
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    carrier: { phone_number_sid: `PN${String(i).padStart(32, '0')}`, trunk_sid: null, friendly_name: `Line ${i}`, date_created: '2025-01-01T00:00:00Z' },
    sip_config: null, notes: null, tags: [], pool: null, status: 'active', last_assigned: null, last_released: null, workspaces };
}

/** Applies commit k's change to the model; returns the changes it makes to that number, as history reports them. */
function mutate(record, k, numbers) {
  const op = (k + Math.floor(k / numbers)) % 4;
  if (op === 0) {
    const w = record.workspaces.staging;
    const before = w.assignment;
    const current = before ? Number(before.agent_id.split('_').pop()) : null;
    const next = STAGING_AGENTS[(STAGING_AGENTS.indexOf(current) + 1) % STAGING_AGENTS.length];
    w.assignment = next === null ? null : assignment('staging', next, `agents/agent-${next}`);
    const type = (a) => (a ? a.assignment_type : null);
    return [
      ...(type(before) !== type(w.assignment) ? [{ workspace: 'staging', field: 'assignment_type', from: type(before), to: type(w.assignment) }] : []),
      { workspace: 'staging', field: 'inbound_agents', from: legs(before), to: legs(w.assignment) },
      { workspace: 'staging', field: 'outbound_agents', from: legs(before), to: legs(w.assignment) },
    ];
  }
  if (op === 1) {
    const from = record.pool;
    record.pool = from ? null : 'bench-pool';
    return [{ workspace: null, field: 'pool', from, to: record.pool }];
  }
  if (op === 2) {
    const from = record.status;
    record.status = STATUSES[(STATUSES.indexOf(from) + 1) % STATUSES.length];
    return [{ workspace: null, field: 'status', from, to: record.status }];
  }
  const a = record.workspaces.production.assignment;
  const before = legs(a);
  a.agent_path = a.agent_path.startsWith('agents/agent-') ? a.agent_path.replace('agents/agent-', 'agents/renamed-') : a.agent_path.replace('agents/renamed-', 'agents/agent-');
  return [
    { workspace: 'production', field: 'inbound_agents', from: before, to: legs(a) },
    { workspace: 'production', field: 'outbound_agents', from: before, to: legs(a) },
  ];
}

function initialChanges(record) {
  const out = [{ workspace: null, field: 'in_directory', from: false, to: true }, { workspace: null, field: 'status', from: null, to: record.status }];
  for (const ws of WORKSPACES) {
    const a = record.workspaces[ws].assignment;
    out.push({ workspace: ws, field: 'in_workspace', from: false, to: true }, { workspace: ws, field: 'assignment_type', from: null, to: a.assignment_type },
      { workspace: ws, field: 'inbound_agents', from: [], to: legs(a) }, { workspace: ws, field: 'outbound_agents', from: [], to: legs(a) });
  }
  return out;
}

export async function generateHistoryRepo(root, { commits = 5000, numbers = 30, target = 0 } = {}) {
  const { renderViews, serialize } = await import(path.join(dist, 'core/views.js'));
  await mkdir(root, { recursive: true });
  const run = (args, input) => new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: root, stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args[0]}: ${err.trim()}`))));
    if (input) input(child.stdin).then(() => child.stdin.end(), reject);
  });
  await run(['init', '-q', '-b', 'main']);
  const model = new Map();
  for (let i = 0; i < numbers; i++) model.set(benchNumber(i), initialRecord(i));
  const targetPhone = benchNumber(target);
  const expected = [];
  const subjects = [];
  const last = new Map();
  const start = Date.UTC(2025, 0, 1);
  await run(['fast-import', '--quiet', '--done'], async (stdin) => {
    const write = (s) => (stdin.write(s) ? Promise.resolve() : new Promise((r) => stdin.once('drain', r)));
    for (let k = 0; k < commits; k++) {
      const phone = benchNumber((k * 7) % numbers);
      let changes;
      if (k === 0) changes = initialChanges(model.get(targetPhone));
      else changes = mutate(model.get(phone), k, numbers);
      const subject = k === 0 ? 'Phone number directory' : `sync: ${phone} (${k})`;
      subjects.push(subject);
      if (k === 0 || phone === targetPhone) expected.unshift({ subject, changes });
      const time = Math.floor((start + k * 3600_000) / 1000);
      const views = renderViews({ numbers: model, workspaces: new Set(WORKSPACES), stamps: { directory: { last_updated: iso(time * 1000) }, workspaces: {} } });
      const files = [['phone-numbers/directory.json', serialize(views.directory)]];
      for (const [ws, v] of Object.entries(views.workspaces)) {
        files.push([`phone-numbers/${ws}/numbers.json`, serialize(v.numbers)], [`phone-numbers/${ws}/assignments.json`, serialize(v.assignments)]);
      }
      const changed = files.filter(([p, text]) => last.get(p) !== text);
      for (const [p, text] of changed) last.set(p, text);
      const message = `${subject}\n`;
      await write(`commit refs/heads/main\nauthor Sync Bot <sync@example.com> ${time} +0000\ncommitter Sync Bot <sync@example.com> ${time} +0000\n`);
      await write(`data ${Buffer.byteLength(message)}\n${message}\n`);
      for (const [p, text] of changed) await write(`M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
    }
    await write('done\n');
  });
  await run(['reset', '-q', '--hard', 'main']);
  return { phone: targetPhone, subjects, expected };
}
