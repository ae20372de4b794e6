import { describe, it, expect } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';

describe('sandbox latency', () => {
  it('many requests delayed at once add no listener per request (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => { warnings.push(`${w.name}: ${w.message}`); };
    process.on('warning', onWarning);
    const sandbox = await startSandbox({ port: 0, latencyMs: 50 });
    try {
      const statuses = await Promise.all(Array.from({ length: 25 }, () => fetch(`${sandbox.url}/retell/list-agents`).then(async (r) => { await r.text(); return r.status; })));
      expect(statuses).toHaveLength(25);
      // A warning is emitted on the next tick after the listener that crossed the limit.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await sandbox.close();
    }
  });

  it('close() ends requests still waiting out their latency', async () => {
    const sandbox = await startSandbox({ port: 0, latencyMs: 60_000 });
    const pending = fetch(`${sandbox.url}/retell/list-agents`).then(() => 'answered', () => 'closed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sandbox.close();
    expect(['answered', 'closed']).toContain(await pending);
  });
});
