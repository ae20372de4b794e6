/** Opens a connection to the pool store's database, loading `pg` only here (startup time is a feature). */
import os from 'node:os';
import type { Client, Pool } from 'pg';
import { ConfigError, ProviderError } from '../../core/errors.js';
import { redact, registerSecret } from '../../core/secrets.js';

export interface ConnectOptions {
  /** Where the URL came from, for messages (e.g. "PHONE_DIR_POOL_DATABASE_URL"); the URL itself is never shown. */
  source: string;
  connectTimeoutMs?: number;
  /** Recorded as "who" in audit rows written through this connection. Default: this host, pid and user. */
  identity?: { host: string; pid: number; user: string };
}

export async function connectPostgres(url: string, options: ConnectOptions): Promise<Client> {
  registerUrlSecrets(url);
  checkUrl(url, options.source);
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: url,
    application_name: 'phone-dir',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // A server that goes away while idle emits 'error' on the client; without a listener Node would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const who = options.identity ?? defaultIdentity();
    await client.query(
      "SELECT set_config('phone_dir.host', $1, false), set_config('phone_dir.pid', $2, false), set_config('phone_dir.user', $3, false)",
      [who.host, String(who.pid), who.user],
    );
  } catch (err) {
    await client.end().catch(() => undefined);
    throw storeError(err, options.source);
  }
  return client;
}

/**
 * A small pool of connections for a command's units (one at a time, each on one connection). Idle
 * connections never keep the process alive: a command exits as soon as its work is done.
 */
export async function createPgPool(url: string, options: ConnectOptions): Promise<Pool> {
  registerUrlSecrets(url);
  checkUrl(url, options.source);
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    application_name: 'phone-dir',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    max: 2,
    allowExitOnIdle: true,
  });
  pool.on('error', () => undefined);
  return pool;
}

/** A five-character SQLSTATE: the server answered and refused (Node's own codes, ECONNREFUSED and the like, are longer). */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * A database failure as phone-dir reports it: exit 5, the server's words, never the URL or password. The hint
 * says to check the server only when it did not answer; an answer names what it refused.
 */
export function storeError(err: unknown, source: string): ProviderError {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message || String(code ?? err.name) : String(err);
  // 28xxx (the login refused) and 3D000 (no such database) are about where the URL points: the first hint.
  const answered = typeof code === 'string' && SQLSTATE.test(code) && !code.startsWith('28') && code !== '3D000';
  return new ProviderError(
    'postgresql',
    `pool store database (${source}): ${redact(message)}${answered ? ` (SQLSTATE ${String(code)})` : ''}`,
    undefined,
    answered ? 'the server refused the statement; phone-dir pool store status shows the schema version it found' : `check that the server is up and that ${source} points at it`,
  );
}

function registerUrlSecrets(url: string): void {
  registerSecret(url);
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      registerSecret(parsed.password);
      registerSecret(decodeURIComponent(parsed.password));
    }
    const queryPassword = parsed.searchParams.get('password');
    if (queryPassword) registerSecret(queryPassword);
  } catch {
    /* not a URL: checkUrl says so */
  }
}

function checkUrl(url: string, source: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ConfigError(`${source} is not a URL`, 'expected postgres://user:password@host:5432/database');
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new ConfigError(`${source} is not a postgres:// URL (scheme "${protocol}")`, 'expected postgres://user:password@host:5432/database');
  }
}

export function defaultIdentity(): { host: string; pid: number; user: string } {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return { host: os.hostname(), pid: process.pid, user };
}
