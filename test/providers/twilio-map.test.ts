import { describe, expect, it } from 'vitest';
import {
  emptyToNull,
  instanceToWire,
  mapAuthType,
  mapAvailableNumber,
  mapCapabilities,
  mapCredentialList,
  mapIncomingNumber,
  mapNumberType,
  mapOriginationUrl,
  mapTrunk,
} from '../../src/providers/twilio/map.js';

const number = {
  sid: 'PN0123456789abcdef0123456789abcdef',
  phone_number: '+14155550101',
  friendly_name: '(415) 555-0101',
  capabilities: { voice: true, sms: true, mms: false, fax: false },
  type: 'local',
  trunk_sid: null,
  voice_url: '',
  sms_url: '',
  date_created: 'Thu, 30 Jul 2015 23:19:04 +0000',
};

describe('twilio mapping', () => {
  it('maps an IncomingPhoneNumber: RFC 2822 date → ISO, "" and null → null', () => {
    expect(mapIncomingNumber(number)).toEqual({
      sid: 'PN0123456789abcdef0123456789abcdef',
      phone_number: '+14155550101',
      friendly_name: '(415) 555-0101',
      capabilities: { voice: true, sms: true, mms: false, fax: false },
      type: 'local',
      trunk_sid: null,
      voice_url: null,
      sms_url: null,
      date_created: '2015-07-30T23:19:04Z',
    });
  });

  it('keeps real values and accepts Date objects and ISO strings', () => {
    const m = mapIncomingNumber({
      ...number,
      trunk_sid: 'TK0123456789abcdef0123456789abcdef',
      voice_url: 'https://example.com/v',
      sms_url: null,
      date_created: new Date('2024-01-02T03:04:05.678Z'),
    });
    expect(m.trunk_sid).toBe('TK0123456789abcdef0123456789abcdef');
    expect(m.voice_url).toBe('https://example.com/v');
    expect(m.sms_url).toBeNull();
    expect(m.date_created).toBe('2024-01-02T03:04:05Z');
    expect(mapIncomingNumber({ ...number, date_created: '2015-01-02T11:23:45Z' }).date_created).toBe('2015-01-02T11:23:45Z');
    expect(mapIncomingNumber({ ...number, date_created: '' }).date_created).toBeNull();
    expect(mapIncomingNumber({ ...number, date_created: undefined, friendly_name: '  ' }).friendly_name).toBeNull();
  });

  it('reads capabilities whatever their case; missing keys are false', () => {
    expect(mapCapabilities({ MMS: true, SMS: true, voice: true })).toEqual({ voice: true, sms: true, mms: true, fax: false });
    expect(mapCapabilities({ Voice: 'true', fax: true })).toEqual({ voice: true, sms: false, mms: false, fax: true });
    expect(mapCapabilities(null)).toEqual({ voice: false, sms: false, mms: false, fax: false });
  });

  it('maps the number type', () => {
    expect(mapNumberType('local')).toBe('local');
    expect(mapNumberType('tollFree')).toBe('toll-free');
    expect(mapNumberType('toll-free')).toBe('toll-free');
    expect(mapNumberType('mobile')).toBe('mobile');
    expect(mapNumberType('national')).toBeNull();
    expect(mapNumberType('')).toBeNull();
    expect(mapNumberType(null)).toBeNull();
  });

  it('emptyToNull', () => {
    expect(emptyToNull('')).toBeNull();
    expect(emptyToNull(null)).toBeNull();
    expect(emptyToNull(undefined)).toBeNull();
    expect(emptyToNull('x')).toBe('x');
  });

  it('derives the trunk auth type', () => {
    expect(mapAuthType({ auth_type: 'CREDENTIAL_LIST', auth_type_set: ['CREDENTIAL_LIST'] }, [])).toBe('CREDENTIAL_LIST');
    expect(mapAuthType({ auth_type: '', auth_type_set: ['IP_ACL', 'CREDENTIAL_LIST'] }, [])).toBe('IP_ACL,CREDENTIAL_LIST');
    expect(mapAuthType({ auth_type: '', auth_type_set: [] }, ['CL1'])).toBe('credential');
    expect(mapAuthType({ auth_type: null }, [])).toBeNull();
  });

  it('maps a trunk with its children, sorted, ISO dates', () => {
    const t = mapTrunk(
      {
        sid: 'TK1',
        friendly_name: 'retell',
        domain_name: 'retell-demo.pstn.twilio.com',
        auth_type: '',
        auth_type_set: [],
        date_created: '2015-01-02T11:23:45Z',
        date_updated: null,
      },
      {
        phoneNumbers: [
          { sid: 'PN2', phone_number: '+14155550102' },
          { sid: 'PN1', phone_number: '+14155550101' },
        ],
        originationUrls: [
          { sid: 'OU2', sip_url: 'sip:b.example', friendly_name: '', priority: 20, weight: 10, enabled: false },
          { sid: 'OU1', sip_url: 'sip:sip.retellai.com', friendly_name: 'retell', priority: '10', weight: '5', enabled: true },
        ],
        credentialLists: [{ sid: 'CL2' }, { sid: 'CL1', friendly_name: 'x' }],
      },
    );
    expect(t).toEqual({
      sid: 'TK1',
      friendly_name: 'retell',
      domain_name: 'retell-demo.pstn.twilio.com',
      auth_type: 'credential',
      credential_list_sids: ['CL1', 'CL2'],
      origination_urls: [
        { sid: 'OU1', sip_url: 'sip:sip.retellai.com', friendly_name: 'retell', priority: 10, weight: 5, enabled: true },
        { sid: 'OU2', sip_url: 'sip:b.example', friendly_name: null, priority: 20, weight: 10, enabled: false },
      ],
      phone_numbers: [
        { sid: 'PN1', phone_number: '+14155550101' },
        { sid: 'PN2', phone_number: '+14155550102' },
      ],
      date_created: '2015-01-02T11:23:45Z',
      date_updated: null,
    });
  });

  it('origination URL defaults', () => {
    expect(mapOriginationUrl({ sid: 'OU', sip_url: 'sip:x' })).toEqual({ sid: 'OU', sip_url: 'sip:x', friendly_name: null, priority: 10, weight: 10, enabled: true });
  });

  it('keeps usernames only, sorted', () => {
    const cl = mapCredentialList({ sid: 'CL1', friendly_name: 'Retell' }, [
      { sid: 'CR2', username: 'zed', password: 'never-here' } as never,
      { sid: 'CR1', username: 'amy' },
    ]);
    expect(cl).toEqual({ sid: 'CL1', friendly_name: 'Retell', usernames: ['amy', 'zed'] });
    expect(JSON.stringify(cl)).not.toContain('never-here');
  });

  it('maps an available number with upper-case capabilities', () => {
    expect(
      mapAvailableNumber({
        phone_number: '+18089251571',
        friendly_name: '(808) 925-1571',
        capabilities: { MMS: true, SMS: false, voice: true },
        region: 'HI',
        locality: '',
      }),
    ).toEqual({ phone_number: '+18089251571', friendly_name: '(808) 925-1571', capabilities: { voice: true, sms: false, mms: true, fax: false }, region: 'HI', locality: null });
  });

  it('turns an SDK instance (camelCase) back into wire names', () => {
    const instance = { toJSON: () => ({ sid: 'PN1', phoneNumber: '+1', trunkSid: null, smsUrl: '', dateCreated: new Date(0), capabilities: { MMS: true } }) };
    expect(instanceToWire(instance)).toEqual({ sid: 'PN1', phone_number: '+1', trunk_sid: null, sms_url: '', date_created: new Date(0), capabilities: { MMS: true } });
  });
});
