/**
 * What the pool and number use cases run over: ports only (the store, the voice platforms, the carriers,
 * the clock, the process identity, notices). The command layer builds it (src/cli/pool/session.ts); the
 * use cases never print, prompt or read a flag.
 */
import type { PoolStore } from '../ports/pool-store.js';
import type { Notices } from '../ports/notices.js';
import type { VoicePlatform } from '../ports/voice-platform.js';
import type { Carrier } from '../ports/carrier.js';
import type { PlatformEntry } from '../providers/entry.js';
import type { Config } from '../core/config.js';
import type { AgentsIndex } from '../core/agents.js';
import type { Directory, NumberRecord } from '../core/model.js';
import type { PoolsFile } from '../core/schemas.js';
import type { ResolvedPool } from '../core/pool/pools.js';
import type { Owner, AliveCheck } from '../core/pool/state.js';

export interface PoolDeps {
  readonly store: PoolStore;
  /** This process, as recorded on what it reserves. */
  readonly owner: Owner;
  /** Whether an owner still runs (true/false on this machine, null when it cannot be told). */
  readonly ownerAlive: AliveCheck;
  now(): Date;
  readonly notices: Notices;
  /** Secrets by the name of the variable that holds them (a SIP password): read, never recorded. */
  secret(variable: string): string | undefined;
  config(): Promise<Config>;
  agents(): Promise<AgentsIndex>;
  pools(): Promise<PoolsFile | null>;
  /** Refuses (exit 2, did-you-mean) a workspace the project does not have. */
  requireKnownWorkspace(workspace: string, dir: Directory): Promise<void>;
  /** The pool a command works on, checked to exist when named. */
  pool(workspace: string, name: string | undefined, mayCreate?: boolean): Promise<ResolvedPool>;
  /** The registry entry of a workspace's voice platform (no SDK loaded). */
  platformEntry(workspace: string): Promise<PlatformEntry>;
  platform(workspace: string): Promise<VoicePlatform>;
  carrier(name: string, workspace: string | null): Promise<Carrier>;
  /** A lock-free read of the directory as it is now (previews, dry runs). */
  readDirectory(): Promise<Directory>;
  /** A lock-free read of one number's record. */
  readRecord(phone: string): Promise<NumberRecord | undefined>;
  /** Times a provider step (for --debug). */
  remote<T>(call: () => Promise<T>): Promise<T>;
}
