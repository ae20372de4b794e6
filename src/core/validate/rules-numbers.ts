import { isPlatformHeld, platformOf } from '../catalog.js';
import type { Finding } from './finding.js';
import { error, warning } from './finding.js';
import { numbersOf, type ValidationInput } from './context.js';
import { isValidE164 } from '../phone.js';
import { sortedWorkspaces } from '../model.js';

export function checkNumbers(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  const file = input.files.directory;
  for (const [key, entry] of Object.entries(input.parsed.directory?.numbers ?? {})) {
    if (key !== entry.phone_number) out.push(error('duplicate', `${file}: key ${key} holds ${entry.phone_number}`, { phone_number: entry.phone_number, file }));
  }
  for (const n of numbersOf(input)) {
    if (!isValidE164(n.phone_number)) out.push(error('e164', `${n.phone_number} is not a valid E.164 number`, { phone_number: n.phone_number }));
    const shape = n.carrier ? input.catalog.carriers.get(n.provider)?.sidPattern : undefined;
    if (n.carrier && shape && !shape.pattern.test(n.carrier.phone_number_sid)) {
      out.push(error('carrier-sid', `${n.phone_number}: ${n.provider}.phone_number_sid "${n.carrier.phone_number_sid}" is not a ${input.catalog.carriers.get(n.provider)!.label} number SID (${shape.example})`, { phone_number: n.phone_number, file }));
    }
  }
  const sids = new Map<string, string>();
  for (const n of numbersOf(input)) {
    if (!n.carrier) continue;
    const key = `${n.provider}\u0000${n.carrier.phone_number_sid}`;
    const other = sids.get(key);
    if (other) out.push(error('duplicate', `${n.phone_number} and ${other} share ${carrierLabel(input, n.provider)} SID ${n.carrier.phone_number_sid}`, { phone_number: n.phone_number, file }));
    else sids.set(key, n.phone_number);
  }
  for (const [ws, files] of Object.entries(input.parsed.workspaces)) {
    for (const [list, f] of [
      [files.numbers?.numbers ?? [], input.files.numbers(ws)],
      [files.assignments?.assignments ?? [], input.files.assignments(ws)],
    ] as const) {
      const seen = new Set<string>();
      for (const entry of list) {
        if (seen.has(entry.phone_number)) out.push(error('duplicate', `${entry.phone_number} appears more than once in ${f}`, { phone_number: entry.phone_number, workspace: ws, file: f }));
        seen.add(entry.phone_number);
      }
    }
  }
  return out;
}

/** The seed's warnings: Twilio numbers imported nowhere, and numbers in one workspace but not another. */
export function checkCoverage(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  const unreadable = input.unreadable?.workspaces ?? new Set<string>();
  const workspaces = sortedWorkspaces(input.dir).filter((ws) => !unreadable.has(ws));
  for (const n of numbersOf(input)) {
    const present = Object.keys(n.workspaces);
    if (present.length === 0) {
      // directory.json may say it is imported into a workspace whose files could not be read.
      const listed = Object.keys(input.parsed.directory?.numbers[n.phone_number]?.workspaces ?? {});
      if (n.carrier && !listed.some((ws) => unreadable.has(ws))) out.push(warning('not-imported', `${n.phone_number} is in ${carrierLabel(input, n.provider)} but imported in no workspace`, { phone_number: n.phone_number }));
      continue;
    }
    // A number a platform bought itself belongs to the one workspace that bought it.
    if (n.status !== 'active' || isPlatformHeld(input.catalog, n.provider)) continue;
    // Workspaces mirror each other within a platform (staging and production), not across platforms.
    const platformsHere = new Set(present.map((ws) => platformName(input, ws)));
    for (const ws of workspaces) {
      if (!n.workspaces[ws] && platformsHere.has(platformName(input, ws))) {
        out.push(warning('missing-in-workspace', `${n.phone_number} is missing in ${ws} (exists in ${present.sort().join(', ')} only)`, { phone_number: n.phone_number, workspace: ws }));
      }
    }
  }
  return out;
}

function carrierLabel(input: ValidationInput, carrier: string): string {
  return input.catalog.carriers.get(carrier)?.label ?? carrier;
}

function platformName(input: ValidationInput, ws: string): string {
  return input.platforms?.get(ws) ?? input.catalog.defaultPlatform;
}

/** Bindings a workspace's platform cannot hold (an outbound agent on Vapi, weighted agents where there are none). */
export function checkBindingCapabilities(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  for (const n of numbersOf(input)) {
    for (const [ws, wn] of Object.entries(n.workspaces)) {
      const a = wn.assignment;
      const platform = platformOf(input.catalog, input.platforms, ws);
      if (!a || !platform) continue;
      const where = { phone_number: n.phone_number, workspace: ws, file: input.files.assignments(ws) };
      if (!platform.capabilities.outboundBinding && a.outbound_agent_id) {
        out.push(error('unsupported-binding', `${n.phone_number} in ${ws}: ${platform.label} binds agents for inbound calls only, but the assignment has outbound agent ${a.outbound_agent_id}`, where));
      } else if (!platform.capabilities.weightedAgents && ((a.inbound_agents?.length ?? 0) > 1 || (a.outbound_agents?.length ?? 0) > 1)) {
        out.push(error('unsupported-binding', `${n.phone_number} in ${ws}: ${platform.label} binds one agent per number, but the assignment has weighted agents`, where));
      }
    }
  }
  return out;
}

export function checkSipConfig(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  for (const n of numbersOf(input)) {
    for (const [ws, wn] of Object.entries(n.workspaces)) {
      if (wn.assignment && wn.import_method === 'sip-trunk' && !wn.termination_uri) {
        out.push(error('missing-termination-uri', `${n.phone_number} is assigned in ${ws} but has no SIP termination URI`, { phone_number: n.phone_number, workspace: ws, file: input.files.numbers(ws) }));
      }
    }
  }
  return out;
}
