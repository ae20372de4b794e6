import { describe, it, expect } from 'vitest';
import { requireKnownPool, resolvePool } from '../../src/core/pool/pools.js';
import type { PoolsFile } from '../../src/core/schemas.js';

const POOLS = { version: '1.0.0', pools: { sales: { workspace: 'staging', min_available: 2 } } } as unknown as PoolsFile;

describe('names users choose never find Object built-ins', () => {
  it.each([['constructor'], ['toString'], ['hasOwnProperty'], ['valueOf'], ['__proto__']])('pool %j is a pool pools.json does not define', (name) => {
    expect(resolvePool(POOLS, 'staging', name)).toEqual({ name, workspace: 'staging', settings: null });
  });

  it.each([['constructor'], ['toString'], ['__proto__']])('pool %j is unknown to --pool (exit 2), not found among Object built-ins', (name) => {
    expect(() => requireKnownPool(name, POOLS, null)).toThrow(`unknown pool "${name}"`);
  });

  it('a pool pools.json defines under such a name is found', () => {
    const pools = { version: '1.0.0', pools: JSON.parse('{"constructor": {"workspace": "staging", "min_available": 1}}') } as unknown as PoolsFile;
    expect(resolvePool(pools, 'staging', 'constructor').settings).toEqual({ workspace: 'staging', min_available: 1 });
  });
});
