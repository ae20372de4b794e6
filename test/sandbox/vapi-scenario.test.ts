import { describe, expect, it } from 'vitest';
import { defaultScenario, generateScenario, validateScenario, type Scenario } from '../../src/sandbox/index.js';

const org = (s: Scenario) => s.vapi!.workspaces['vapi-support']!;

describe('the scenario Vapi section', () => {
  it.each<[string, (s: Scenario) => void, RegExp]>([
    ['unknown assistant', (s) => { org(s).phone_numbers![0]!.assistant_id = '00000000-0000-4000-8000-000000000000'; }, /at vapi\.workspaces\.vapi-support\.phone_numbers\[0\]\.assistant_id: no assistant/],
    ['byo without a trunk credential', (s) => { delete org(s).phone_numbers![1]!.credential_id; }, /phone_numbers\[1\]\.credential_id: a byo-phone-number number needs a byo-sip-trunk credential/],
    ['twilio without account', (s) => { delete org(s).phone_numbers![0]!.twilio_account_sid; }, /phone_numbers\[0\]\.twilio_account_sid: required/],
    ['number missing', (s) => { delete org(s).phone_numbers![5]!.number; }, /phone_numbers\[5\]\.number: required for a vonage number/],
    ['same name as a Retell workspace', (s) => { s.vapi!.workspaces.staging = org(s); }, /at vapi\.workspaces\.staging: "staging" is also a Retell workspace/],
    ['bad id', (s) => { org(s).assistants![0]!.id = 'asst_1'; }, /at vapi\.workspaces\.vapi-support\.assistants\[0\]\.id: expected a UUID/],
  ])('%s: one line naming the field', (_name, mutate, message) => {
    const s = JSON.parse(JSON.stringify(defaultScenario())) as Scenario;
    mutate(s);
    expect(() => validateScenario(s, 'my.json')).toThrow(message);
    try {
      validateScenario(s, 'my.json');
    } catch (e) {
      expect((e as Error).message.split('\n')).toHaveLength(1);
      expect((e as { exitCode?: number }).exitCode).toBe(2);
    }
  });

  it('generated Vapi orgs are deterministic and valid', () => {
    const a = generateScenario({ numbers: 10, vapiNumbers: 40, seed: 3 });
    expect(a).toEqual(generateScenario({ numbers: 10, vapiNumbers: 40, seed: 3 }));
    expect(org(a).phone_numbers).toHaveLength(40);
    expect(() => validateScenario(JSON.parse(JSON.stringify(a)))).not.toThrow();
    expect(generateScenario({ numbers: 10 }).vapi).toBeUndefined();
  });
});
