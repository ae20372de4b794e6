/**
 * `pool provision` (and `pool ensure`, and `pool assign --provision`): search the pool's carrier, buy,
 * attach to the trunk (or set webhooks), import into the workspace's voice platform, record as available.
 *
 * A purchase is never retried blindly: before each one an intent is journaled (under the lock, in the
 * runtime state); the intent is dropped only once the number is recorded, or once the carrier is known not
 * to have sold it. Anything in between (kill -9, timeout, 5xx, dropped connection) is settled by the next
 * command (recover.ts), which looks the number up at the carrier instead of buying again.
 */
import type { PoolDeps } from './deps.js';
import { completePurchase, recordPurchase, passwordFromEnv, intentCarrier, type Completed } from './purchase.js';
import { settlePending } from './recover.js';
import { refuseConfirm, type Confirm } from './confirm.js';
import { requireWorkspace } from '../core/config.js';
import type { ResolvedPool } from '../core/pool/pools.js';
import { availableNumbers, poolCounts } from '../core/pool/select.js';
import { reserve, dropIntent, blockedNumbers, takenNumbers, expiresAt, INTENT_TTL_MS, isStale, type PurchaseIntent, type Intended } from '../core/pool/state.js';
import type { AvailableNumber, TrunkSnapshot } from '../core/snapshot.js';
import type { DirectoryFile } from '../core/schemas.js';
import { ConfigError, NotFoundError, UsageError, ProviderError } from '../core/errors.js';
import { mapLimit } from '../core/concurrency.js';
import { redact } from '../core/secrets.js';
import { formatPretty } from '../core/phone.js';

export interface ProvisionOptions {
  /** Asked before buying, unless `yes`. */
  confirm?: Confirm;
  workspace: string;
  pool?: string;
  /** Numbers to buy; with `untilAvailable`, computed under the lock instead. */
  count: number;
  /** The carrier to buy from (default: the pool's provision.carrier, else the first carrier configured). */
  carrier?: string;
  /** pool ensure: buy until the pool has this many available (numbers being bought by others count). */
  untilAvailable?: number;
  areaCode?: string;
  country?: string;
  tollFree?: boolean;
  trunk?: string;
  voiceUrl?: string;
  smsUrl?: string;
  terminationUri?: string;
  username?: string;
  passwordEnv?: string;
  nickname?: string;
  dryRun: boolean;
  /** Consent to buy: --yes, or a command whose purpose is buying (ensure, assign --provision). */
  yes: boolean;
  /** pool assign --provision: the first number bought is recorded already reserved for this assignment. */
  reserveFor?: Intended;
}

export interface ProvisionedNumber { phone_number: string; phone_number_sid: string; trunk_sid: string | null; termination_uri: string | null; pool: string; workspace: string }
export interface ProvisionFailure { phone_number: string; message: string; pending: boolean }

/** Where the numbers go: the carrier, the trunk, the platform's termination URI and the SIP credentials (the variable's name, never the password). */
export interface ProvisionRoute { carrier: string; trunk_sid: string | null; termination_uri: string | null; auth_username: string | null; auth_password_env: string | null }

export interface ProvisionResult {
  workspace: string;
  pool: string;
  dry_run: boolean;
  route: ProvisionRoute;
  /** dry run: the numbers that would be bought. */
  candidates: { phone_number: string; phone_number_pretty: string; locality: string | null; region: string | null }[];
  bought: ProvisionedNumber[];
  failed: ProvisionFailure[];
  /** ensure: available before and after. */
  available_before?: number;
  available_after?: number;
  /** assign --provision: the bought number reserved for the assignment. */
  reserved?: string;
  cancelled?: boolean;
  exitCode: number;
}

interface Plan {
  pool: ResolvedPool;
  carrier: { name: string; label: string; trunks: boolean };
  country: string;
  tollFree: boolean;
  areaCodes: (string | undefined)[];
  trunk: TrunkSnapshot | null;
  terminationUri: string | null;
  route: ProvisionRoute;
}

async function plan(deps: PoolDeps, options: ProvisionOptions): Promise<Plan> {
  const config = await deps.config();
  requireWorkspace(config, options.workspace);
  const pool = await deps.pool(options.workspace, options.pool, true);
  const defaults = pool.settings?.provision;
  const country = (options.country ?? defaults?.country ?? 'US').toUpperCase();
  const tollFree = options.tollFree ?? defaults?.type === 'toll-free';
  const areaCodes: (string | undefined)[] = options.areaCode ? [options.areaCode] : !tollFree && defaults?.area_codes.length ? defaults.area_codes : [undefined];
  for (const a of areaCodes) if (a !== undefined && !/^\d{3}$/.test(a)) throw new UsageError(`--area-code: "${a}" is not a 3-digit area code`);
  const carrier = await carrierFor(deps, options.carrier ?? defaults?.carrier, options.carrier !== undefined ? '--carrier' : `phone-numbers/pools.json: pools.${pool.name}.provision.carrier`);
  const trunkSid = options.trunk ?? (carrier.trunks ? defaults?.trunk_sid ?? null : null);
  if (trunkSid && !carrier.trunks) throw new UsageError(`--trunk: ${carrier.label} has no SIP trunks; give --termination-uri (or the pool's provision.termination_uri) instead`);
  if (trunkSid && !/^TK[0-9a-fA-F]{32}$/.test(trunkSid)) throw new UsageError(`--trunk: "${trunkSid}" is not a trunk SID (TK + 32 hex digits)`);
  const username = options.username ?? defaults?.auth_username ?? null;
  const passwordEnv = options.passwordEnv ?? defaults?.auth_password_env ?? null;
  passwordFromEnv(deps, passwordEnv); // fail early (exit 2) when the variable is missing
  let trunk: TrunkSnapshot | null = null;
  if (trunkSid) {
    const trunks = (await deps.carrier(carrier.name, options.workspace)).trunks!;
    trunk = await deps.remote(() => trunks.fetchTrunk(trunkSid));
    if (!trunk) throw new NotFoundError(`trunk not found: ${trunkSid} is not an Elastic SIP trunk of this ${carrier.label} account`);
  }
  if (trunk && trunk.credential_list_sids.length > 0 && (!username || !passwordEnv)) {
    // The platform must authenticate to such a trunk: an import without credentials would record a number no call can use.
    const missing = [!username ? '--username' : null, !passwordEnv ? '--password-env' : null].filter(Boolean).join(' and ');
    throw new UsageError(
      `trunk ${trunk.sid}${trunk.domain_name ? ` (${trunk.domain_name})` : ''} authenticates with credential lists (${trunk.credential_list_sids.join(', ')}): the import into ${options.workspace} needs ${missing}`,
      `give --username <a username of its credential list> --password-env <VARIABLE holding its password>, or set provision.auth_username and provision.auth_password_env of pool "${pool.name}" in phone-numbers/pools.json (the password is never printed or stored)`,
    );
  }
  const terminationUri = options.terminationUri ?? trunk?.domain_name ?? defaults?.termination_uri ?? null;
  const platform = await deps.platformEntry(options.workspace);
  const throughCarrierApi = (platform.capabilities.carrierApiImports ?? []).includes(carrier.name);
  if (!terminationUri && !carrier.trunks && !throughCarrierApi) {
    // spec/config.md: a pool of a carrier without trunks must name the SIP address its numbers are dialled at.
    throw new ConfigError(
      `phone-numbers/pools.json: pools.${pool.name}.provision.termination_uri: missing; ${carrier.label} has no SIP trunks, so ${platform.label} needs the SIP address to dial for the pool's numbers`,
      `set it (for SignalWire, the space's SIP domain, e.g. example.sip.signalwire.com), or give --termination-uri`,
    );
  }
  if (!terminationUri && !throughCarrierApi) {
    throw new UsageError(
      `no SIP termination URI for the import into ${options.workspace}: no trunk given`,
      'give --trunk <TK…> (its domain name is used; or set provision.trunk_sid in pools.json), or --termination-uri <host> with --voice-url/--sms-url for webhook routing',
    );
  }
  return {
    pool, carrier, country, tollFree, areaCodes, trunk, terminationUri,
    route: { carrier: carrier.name, trunk_sid: trunk?.sid ?? null, termination_uri: terminationUri, auth_username: username, auth_password_env: passwordEnv },
  };
}

/** The carrier a pool buys from, known to the registry (an unknown name is exit 2 naming where it was given). */
async function carrierFor(deps: PoolDeps, name: string | undefined, where: string): Promise<{ name: string; label: string; trunks: boolean }> {
  const { carrierEntry, carrierNames } = await import('../providers/registry.js');
  const chosen = name ?? (await intentCarrier(deps, {}));
  const entry = carrierEntry(chosen);
  if (!entry) {
    const { didYouMean } = await import('../core/suggest.js');
    throw new ConfigError(`${where}: "${chosen}" is not a carrier phone-dir knows${didYouMean(chosen, carrierNames())} (known: ${carrierNames().join(', ')})`);
  }
  return { name: entry.name, label: entry.label, trunks: entry.capabilities.trunks };
}

/** Voice-capable numbers for sale, area code by area code, at most `want` (plus spares for races). */
async function search(deps: PoolDeps, options: ProvisionOptions, p: Plan, want: number, exclude: ReadonlySet<string>): Promise<AvailableNumber[]> {
  const carrier = await deps.carrier(p.carrier.name, options.workspace);
  const out: AvailableNumber[] = [];
  for (const areaCode of p.areaCodes) {
    if (out.length >= want) break;
    const found = await deps.remote(() => carrier.searchAvailable({ country: p.country, tollFree: p.tollFree, limit: Math.min(50, want + 10), voice: true, ...(areaCode ? { areaCode } : {}) }));
    for (const a of found) if (a.capabilities.voice && !exclude.has(a.phone_number) && !out.some((x) => x.phone_number === a.phone_number)) out.push(a);
  }
  return out;
}

type Outcome =
  | { kind: 'done'; intent: PurchaseIntent; done: Completed }
  | { kind: 'not-bought'; intent: PurchaseIntent; message: string; retry: boolean }
  | { kind: 'pending'; intent: PurchaseIntent; message: string };

function messageOf(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}

async function buyOne(deps: PoolDeps, intent: PurchaseIntent, trunk: TrunkSnapshot | null): Promise<Outcome> {
  const { isAmbiguous } = await import('../providers/index.js');
  const carrier = await deps.carrier(await intentCarrier(deps, intent), intent.workspace);
  let bought;
  try {
    bought = await deps.remote(() => carrier.purchase({
      phoneNumber: intent.phone_number,
      ...(intent.friendly_name ? { friendlyName: intent.friendly_name } : {}),
      ...(!intent.trunk_sid && intent.voice_url ? { voiceUrl: intent.voice_url } : {}),
      ...(!intent.trunk_sid && intent.sms_url ? { smsUrl: intent.sms_url } : {}),
    }));
  } catch (err) {
    // The adapter already looked after an ambiguous failure and found nothing; but it may land later, so
    // the intent stays and a later command looks again. A clear refusal (4xx) means nothing was bought.
    if (isAmbiguous(err)) return { kind: 'pending', intent, message: messageOf(err) };
    const status = err instanceof ProviderError ? err.status : undefined;
    return { kind: 'not-bought', intent, message: messageOf(err), retry: status === 400 || status === 404 || status === 409 };
  }
  try {
    return { kind: 'done', intent, done: await completePurchase(deps, intent, bought, trunk) };
  } catch (err) {
    return { kind: 'pending', intent, message: `bought, but not finished: ${messageOf(err)}` };
  }
}

export async function runProvision(options: ProvisionOptions, deps: PoolDeps): Promise<ProvisionResult> {
  if (!Number.isInteger(options.count) || options.count < 0) throw new UsageError('--count must be a positive whole number');
  const p = await plan(deps, options);
  const result: ProvisionResult = { workspace: options.workspace, pool: p.pool.name, dry_run: options.dryRun, route: p.route, candidates: [], bought: [], failed: [], exitCode: 0 };
  await settlePending(deps);

  // What is there now (lock-free snapshot) decides how many to look for; the lock phase decides for real.
  const before = { dir: await deps.readDirectory() };
  const stateBefore = await deps.store.peekState();
  const blocked = blockedNumbers(stateBefore);
  const availableBefore = availableNumbers(before.dir, p.pool, takenNumbers(stateBefore)).length;
  if (options.untilAvailable !== undefined) result.available_before = availableBefore;
  const pendingForPool = stateBefore.intents.filter((i) => i.pool === p.pool.name && i.workspace === options.workspace).length;
  const wanted = options.untilAvailable !== undefined ? Math.max(0, options.untilAvailable - availableBefore - pendingForPool) : options.count;
  if (wanted === 0) {
    result.available_after = availableBefore;
    return result;
  }

  const known = new Set([...before.dir.numbers.keys(), ...blocked]);
  if (options.dryRun) {
    const found = await search(deps, options, p, wanted, known);
    result.candidates = found.slice(0, wanted).map((a) => ({ phone_number: a.phone_number, phone_number_pretty: formatPretty(a.phone_number), locality: a.locality, region: a.region }));
    return result;
  }
  if (!options.yes) {
    const where = p.areaCodes.filter(Boolean).join('/') || p.country;
    const agreed = await (options.confirm ?? refuseConfirm)({
      summary: `pool provision buys ${wanted} number${wanted === 1 ? '' : 's'} from ${p.carrier.label} (billed monthly)`,
      hint: 'run with --dry-run to see which numbers would be bought; without a terminal, --yes is required',
      details: '',
      question: `Buy ${wanted} ${p.tollFree ? 'toll-free' : 'local'} number${wanted === 1 ? '' : 's'} (${where}) for pool ${p.pool.name} in ${options.workspace}? [y/N] `,
    });
    if (!agreed) {
      result.cancelled = true;
      result.exitCode = 1;
      return result;
    }
  }

  let remaining = wanted;
  for (let round = 0; round < 3 && remaining > 0; round++) {
    const candidates = await search(deps, options, p, remaining, known);
    if (candidates.length === 0) break;
    const intents = await deps.store.unit('intents', async (unit) => {
      const dir = (await unit.directoryFile()) ?? ({ numbers: {} } as unknown as DirectoryFile);
      const now = deps.now();
      const taken = takenNumbers(unit.state);
      let need = remaining;
      if (options.untilAvailable !== undefined) {
        const inFlight = unit.state.intents.filter((i) => i.pool === p.pool.name && i.workspace === options.workspace && !isStale(i, now, deps.ownerAlive)).length;
        need = Math.min(remaining, Math.max(0, options.untilAvailable - availableNumbers(dir, p.pool, taken).length - inFlight));
      }
      const chosen: PurchaseIntent[] = [];
      for (const c of candidates) {
        if (chosen.length >= need) break;
        if (dir.numbers[c.phone_number] || taken.busy.has(c.phone_number)) continue;
        const intent: PurchaseIntent = {
          phone_number: c.phone_number, workspace: options.workspace, pool: p.pool.name, carrier: p.carrier.name, trunk_sid: p.trunk?.sid ?? null, termination_uri: p.terminationUri,
          voice_url: options.voiceUrl ?? null, sms_url: options.smsUrl ?? null, friendly_name: `${p.pool.name} pool`.slice(0, 64), nickname: options.nickname ?? null,
          auth_username: p.route.auth_username, auth_password_env: p.route.auth_password_env, owner: deps.owner, created: now.toISOString(), expires: expiresAt(now, INTENT_TTL_MS),
        };
        unit.state.intents.push(intent);
        chosen.push(intent);
      }

      if (options.untilAvailable !== undefined && need < remaining) remaining = need;
      return chosen;
    });
    for (const i of intents) known.add(i.phone_number);
    if (intents.length === 0) break;

    const outcomes = await mapLimit(intents, 4, (intent) => buyOne(deps, intent, p.trunk));

    await deps.store.unit('record', async (unit) => {
      const dir = await unit.subset(outcomes.filter((x) => x.kind === 'done').map((x) => x.intent.phone_number));
      const agents = await deps.agents();
      const now = deps.now();
      const drop = (intent: PurchaseIntent) => dropIntent(unit.state, intent.phone_number, deps.owner);
      for (const out of outcomes) {
        if (out.kind === 'done') {
          recordPurchase(dir, out.intent, out.done, agents, now);
          drop(out.intent);
          result.bought.push({
            phone_number: out.intent.phone_number, phone_number_sid: out.done.bought.sid, trunk_sid: out.done.bought.trunk_sid,
            termination_uri: out.done.imported.termination_uri, pool: out.intent.pool, workspace: out.intent.workspace,
          });
          unit.audit({ operation: 'provision', phone_number: out.intent.phone_number, pool: out.intent.pool, workspace: out.intent.workspace, result: 'bought' });
          if (options.reserveFor && result.reserved === undefined) {
            result.reserved = out.intent.phone_number;
            reserve(unit.state, { phone_number: out.intent.phone_number, workspace: options.workspace, kind: 'assign', owner: deps.owner, now, intended: options.reserveFor });
          }
        } else if (out.kind === 'not-bought') {
          drop(out.intent);
          if (!out.retry) result.failed.push({ phone_number: out.intent.phone_number, message: out.message, pending: false });
          unit.audit({ operation: 'provision', phone_number: out.intent.phone_number, pool: out.intent.pool, workspace: out.intent.workspace, result: 'not-bought' });
        } else {
          // Stays in the runtime state: settled by the next command once this process has exited.
          result.failed.push({ phone_number: out.intent.phone_number, message: out.message, pending: true });
        }
      }
    });
    const retriable = outcomes.filter((x) => x.kind === 'not-bought' && x.retry).length;
    remaining -= outcomes.filter((x) => x.kind === 'done').length;
    if (retriable === 0) break; // otherwise: look for replacements of numbers someone else bought first
  }
  if (remaining > 0 && result.failed.length === 0) {
    result.failed.push({ phone_number: '-', message: `${p.carrier.label} offered only ${result.bought.length} of ${wanted} number${wanted === 1 ? '' : 's'} (${p.country}${p.areaCodes.filter(Boolean).length ? `, area codes ${p.areaCodes.join(', ')}` : ''})`, pending: false });
  }
  if (options.untilAvailable !== undefined) result.available_after = availableBefore + result.bought.length;
  result.exitCode = result.failed.length ? 5 : 0;
  return result;
}

/** Counts of a pool from a lock-free snapshot (pool ensure's message). */
export async function poolCountsNow(deps: PoolDeps, pool: ResolvedPool): Promise<ReturnType<typeof poolCounts>> {
  const [dir, state] = await Promise.all([deps.readDirectory(), deps.store.peekState()]);
  return poolCounts(dir, pool, takenNumbers(state));
}
