import { describe, expect, it } from 'vitest';
import { ConfigError, ProviderError } from '../../src/core/errors.js';
import { redact } from '../../src/core/secrets.js';
import { connectPostgres, storeError } from '../../src/store/postgres/connect.js';
import { usePostgres } from '../helpers/postgres.js';

const db = usePostgres();
const source = 'PHONE_DIR_POOL_DATABASE_URL';

async function failure(url: string): Promise<Error> {
  try {
    await connectPostgres(url, { source, connectTimeoutMs: 3_000 });
  } catch (err) {
    return err as Error;
  }
  throw new Error('connected, but should not have');
}

describe('connecting to the pool store database', () => {
  it('a wrong password: exit 5, naming the variable, never the URL or the password', async () => {
    const url = new URL(db.url);
    url.password = 'Wrong-S3cret-pw';
    const err = await failure(url.toString());
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).exitCode).toBe(5);
    expect(err.message).toContain(`pool store database (${source})`);
    expect(err.message).toContain('password authentication failed');
    expect(err.message).not.toContain('Wrong-S3cret-pw');
    expect(redact(`see ${url.toString()} and Wrong-S3cret-pw`)).not.toContain('Wrong-S3cret-pw');
  });

  it('no server on the port: exit 5 with the reason', async () => {
    const url = new URL(db.url);
    url.port = '1';
    const err = await failure(url.toString());
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/ECONNREFUSED|connect/);
    expect(err.message).not.toContain(url.password || '\u0000');
  });

  it('a URL that is not postgres://: exit 2 naming the variable, not its value', async () => {
    const err = await failure('mysql://admin:Hunter2-secret@db.example/x');
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(`${source} is not a postgres:// URL (scheme "mysql:")`);
    const garbage = await failure('Hunter2-not-a-url');
    expect(garbage.message).toBe(`${source} is not a URL`);
    expect(redact('oops Hunter2-not-a-url')).toBe('oops ***');
  });

  it('sets the audit identity of the session to this process', async () => {
    const client = await db.connect();
    const who = await client.query("SELECT current_setting('phone_dir.pid') AS pid, current_setting('application_name') AS app");
    expect(who.rows[0]).toEqual({ pid: String(process.pid), app: 'phone-dir' });
  });
});

describe('storeError', () => {
  it('sends people to the server only when it did not answer; an answer keeps its SQLSTATE', () => {
    const unreachable = storeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'PHONE_DIR_POOL_DATABASE_URL');
    expect(unreachable.exitCode).toBe(5);
    expect(unreachable.hint).toMatch(/check that the server is up and that PHONE_DIR_POOL_DATABASE_URL points at it/);
    const refused = storeError(Object.assign(new Error('phone_dir.lease: hold must be a positive interval'), { code: '22023' }), 'PHONE_DIR_POOL_DATABASE_URL');
    expect(refused.exitCode).toBe(5);
    expect(refused.message).toMatch(/hold must be a positive interval \(SQLSTATE 22023\)$/);
    expect(refused.hint).not.toMatch(/server is up/);
    const login = storeError(Object.assign(new Error('password authentication failed for user "x"'), { code: '28P01' }), 'PHONE_DIR_POOL_DATABASE_URL');
    expect(login.hint).toMatch(/points at it/);
  });
});
