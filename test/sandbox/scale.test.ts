import { describe, expect, it } from 'vitest';
import { generateScenario, startSandbox } from '../../src/sandbox/index.js';
import { drain, elapsed, twilioClient } from './helpers.js';

describe('100,000-number account', () => {
  it('generates, loads and lists completely through the twilio client (PageSize 1000)', async () => {
    const gen = await elapsed(async () => generateScenario({ numbers: 100_000, seed: 42 }));
    const boot = await elapsed(() => startSandbox({ scenario: gen.value }));
    const h = boot.value;
    try {
      expect(h.state.twilio.numbers.size).toBe(100_000);
      const seen = new Set<string>();
      const client = twilioClient(h, { timeout: 30_000 });
      const list = await elapsed(() =>
        drain((o) =>
          client.incomingPhoneNumbers.each({ pageSize: 1000, ...o }, (n) => {
            seen.add(n.sid);
          }),
        ),
      );
      expect(seen.size).toBe(100_000);
      expect(h.requests()).toHaveLength(100);
      console.log(
        `[sandbox scale] 100,000 numbers: generateScenario ${gen.ms.toFixed(0)} ms, startSandbox ${boot.ms.toFixed(0)} ms, ` +
          `twilio SDK each({pageSize: 1000}) ${list.ms.toFixed(0)} ms for 100 pages`,
      );
      expect(gen.ms + boot.ms).toBeLessThan(15_000);
    } finally {
      await h.close();
    }
  }, 60_000);
});
