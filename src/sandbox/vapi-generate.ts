import { createHash } from 'node:crypto';
import type { VapiNumberSpec, VapiOrgSpec } from './scenario-types.js';
import { uuidFrom } from './vapi-scenario.js';

const PROVIDERS = ['vapi', 'byo-phone-number', 'vonage', 'telnyx', 'twilio'] as const;

/**
 * A large Vapi org: `count` numbers cycling through every provider type, every third assistant-free,
 * created in threes at the same instant so that list pages end inside a run of equal createdAt values.
 */
export function generateVapiOrg(count: number, seed: number, twilioAccountSid: string): VapiOrgSpec {
  const tag = createHash('md5').update(`vapi:${seed}`).digest('hex');
  const id = (kind: string, i: number | string) => uuidFrom(`generated:${seed}:${kind}:${i}`);
  const assistants = [1, 2, 3, 4].map((i) => ({ id: id('assistant', i), name: `Generated Assistant ${i}` }));
  const credentials = [
    { id: id('credential', 'sip'), provider: 'byo-sip-trunk' as const, name: 'Generated SIP trunk', gateways: [{ ip: 'generated.sip.signalwire.com' }], auth_username: 'gen_user', auth_password: `gen-${tag.slice(0, 12)}` },
    { id: id('credential', 'vonage'), provider: 'vonage' as const, name: 'Generated Vonage' },
    { id: id('credential', 'telnyx'), provider: 'telnyx' as const, name: 'Generated Telnyx' },
  ];
  const credentialOf: Record<string, string | undefined> = { 'byo-phone-number': credentials[0]?.id, vonage: credentials[1]?.id, telnyx: credentials[2]?.id };
  const base = Date.parse('2025-01-01T00:00:00Z');
  const phone_numbers: VapiNumberSpec[] = Array.from({ length: count }, (_, k) => {
    const provider = PROVIDERS[k % PROVIDERS.length] as (typeof PROVIDERS)[number];
    const credential = credentialOf[provider];
    const assistant = k % 3 === 2 ? undefined : assistants[k % assistants.length]?.id;
    return {
      id: id('number', k),
      provider,
      number: `+1${[415, 628, 312, 212][k % 4]}2${String(100000 + k).slice(-6)}`,
      name: `Generated ${k + 1}`,
      ...(assistant ? { assistant_id: assistant } : {}),
      ...(credential ? { credential_id: credential } : {}),
      ...(provider === 'twilio' ? { twilio_account_sid: twilioAccountSid } : {}),
      created_at: new Date(base + Math.floor(k / 3) * 60_000).toISOString(),
    };
  });
  return { api_key: `vapi-generated-${tag.slice(0, 16)}`, name: 'Generated (Vapi)', assistants, credentials, phone_numbers };
}
