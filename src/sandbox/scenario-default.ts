import { createHash } from 'node:crypto';
import { makeSid, makeUuid } from './ids.js';
import type { AgentSpec, AgentWeight, IncomingNumberSpec, RetellNumberSpec, Scenario, SignalwireScenario } from './scenario-types.js';
import { defaultVapiOrg, VAPI_WORKSPACE } from './vapi-default.js';

/*
 * The default scenario: a small, fixed, realistic directory. Agents mirror the sample agent folders
 * in agents/ (agent_name from agent.json, agent_id from <workspace>.json; after-hours is staging-only).
 */

const hex = (seed: string) => createHash('md5').update(seed).digest('hex');

export const DEFAULT_ACCOUNT_SID = makeSid('AC', 'phone-dir-sandbox-account');
const MAIN = makeSid('TK', 'acme-main.pstn.twilio.com');
const BACKUP = makeSid('TK', 'acme-backup.pstn.twilio.com');
const CL_MAIN = makeSid('CL', 'Retell Main Credentials');
const CL_BACKUP = makeSid('CL', 'Retell Backup Credentials');
const RETELL_SIP = 'sip:5t4n6j0wnrl.sip.retellai.com';

type Row = [phone: string, trunk: string | null, friendly: string, extra?: Partial<IncomingNumberSpec>];
const NUMBERS: Row[] = [
  ['+14155550101', MAIN, 'SF Front Desk'],
  ['+14155550102', MAIN, 'SF Sales'],
  ['+14155550103', MAIN, 'SF Support'],
  ['+14155550104', MAIN, 'SF Appointments Outbound'],
  ['+14155550105', MAIN, 'SF Spare'],
  ['+14155550106', MAIN, 'SF Service Desk'],
  ['+14155550107', MAIN, 'SF Overflow'],
  ['+14155550108', MAIN, 'SF After Hours'],
  ['+14155550109', BACKUP, 'SF Backup Line'],
  ['+14155550110', BACKUP, 'SF Support Backup'],
  ['+16505550121', MAIN, 'Peninsula Sales'],
  ['+16505550122', MAIN, 'Peninsula Front Desk'],
  ['+16505550123', MAIN, 'Peninsula Support'],
  ['+16505550124', MAIN, 'Peninsula Callbacks'],
  ['+16505550125', BACKUP, 'Peninsula Backup'],
  ['+12125550141', MAIN, 'NYC Support'],
  ['+12125550142', MAIN, 'NYC Spare'],
  ['+12125550143', BACKUP, 'NYC Service Desk'],
  ['+12125550144', BACKUP, 'NYC Overflow'],
  ['+12125550145', BACKUP, 'NYC Support Backup'],
  ['+12125550146', MAIN, 'NYC Front Desk'],
  ['+18885550161', MAIN, 'Toll-free Customer Line', { type: 'toll-free' }],
  ['+18775550162', MAIN, 'Toll-free Service Line', { type: 'toll-free' }],
  ['+18555550163', BACKUP, 'Toll-free Sales Line', { type: 'toll-free' }],
  ['+19175550181', MAIN, 'Field Sales Mobile', { type: 'mobile', capabilities: { voice: true, sms: true, mms: true, fax: false } }],
  ['+14155550190', null, 'Legacy IVR', { voice_url: 'https://hooks.acme.example/twilio/voice/ivr', sms_url: 'https://hooks.acme.example/twilio/sms' }],
  ['+16505550191', null, 'Fax Webhook', { voice_url: 'https://hooks.acme.example/twilio/voice/fax' }],
  ['+12125550192', BACKUP, 'NYC Unused (not imported)'],
  ['+14155550193', MAIN, 'SF Unused (not imported)'],
  ['+16505550194', null, 'Parked number'],
];

/** The SignalWire project: 12 numbers, no trunks (SignalWire has none); Retell dials them at the space's SIP domain. */
export const SIGNALWIRE_SPACE = 'phone-dir-sandbox.signalwire.com';
export const SIGNALWIRE_SIP_DOMAIN = 'phone-dir-sandbox.sip.signalwire.com';
const SIGNALWIRE_NAMES = [
  'SW Main Line', 'SW Sales', 'SW Support', 'SW Billing', 'SW Bookings', 'SW Concierge',
  'SW Front Desk', 'SW Callbacks', 'SW Overflow', 'SW Spare', 'SW Events', 'SW Partners',
];

function signalwireProject(): SignalwireScenario {
  return {
    space_url: SIGNALWIRE_SPACE,
    project_id: makeUuid('phone-dir-sandbox-signalwire-project'),
    api_token: `PT${hex('phone-dir-sandbox-signalwire-token')}${hex('phone-dir-sandbox-signalwire-token-2').slice(0, 16)}`,
    incoming_phone_numbers: SIGNALWIRE_NAMES.map((friendly_name, i) => ({
      phone_number: `+1628555${String(100 + i).padStart(4, '0')}`,
      friendly_name,
      date_created: new Date(Date.parse('2024-03-04T10:00:00Z') + i * 86_400_000).toISOString(),
    })),
  };
}

const one = (agent_id: string, agent_version?: number): AgentWeight[] => [{ agent_id, weight: 1, ...(agent_version !== undefined ? { agent_version } : {}) }];

const STG = {
  custsvc: 'agent_stg_custsvc_4f2a9c',
  sales: 'agent_stg_sales_7c3e1a',
  support: 'agent_stg_support1_91ab04',
  appts: 'agent_stg_appts_5e8d21',
  afterHours: 'agent_stg_afterhrs_b2c4d6',
  chat: 'agent_stg_chat_webwidget_0d1e2f',
};
const PRD = {
  custsvc: 'agent_prd_custsvc_8b1d3e',
  sales: 'agent_prd_sales_2d9f6b',
  support: 'agent_prd_support1_c07e55',
  appts: 'agent_prd_appts_3a6f90',
  chat: 'agent_prd_chat_webwidget_6a7b8c',
};

const T0 = Date.parse('2024-06-01T09:00:00Z');
const agent = (agent_id: string, agent_name: string, version: number, i: number, channel: 'voice' | 'chat' = 'voice'): AgentSpec => ({
  agent_id, agent_name, channel, version, is_published: true, tags: {}, last_modification_timestamp: T0 + i * 3_600_000,
});

function stagingNumbers(): RetellNumberSpec[] {
  const s = STG;
  return [
    { phone_number: '+14155550101', nickname: 'SF Front Desk', inbound_agents: one(s.custsvc, 7), outbound_agents: one(s.custsvc, 7) },
    { phone_number: '+14155550102', nickname: 'SF Sales', inbound_agents: one(s.sales, 4), outbound_agents: one(s.sales, 4) },
    { phone_number: '+14155550103', nickname: 'SF Support', inbound_agents: one(s.support, 3), outbound_agents: [] },
    { phone_number: '+14155550104', nickname: 'Appointment callbacks', inbound_agents: [], outbound_agents: one(s.appts, 2) },
    { phone_number: '+14155550105', nickname: 'Spare (unassigned)' },
    { phone_number: '+14155550106', nickname: 'Service desk split', inbound_agents: one(s.custsvc, 7), outbound_agents: one(s.sales, 4) },
    {
      phone_number: '+14155550107', nickname: 'Weighted overflow',
      inbound_agents: [{ agent_id: s.custsvc, agent_version: 7, weight: 0.7 }, { agent_id: s.support, agent_version: 3, weight: 0.3 }],
      outbound_agents: one(s.custsvc, 7),
    },
    { phone_number: '+14155550108', nickname: 'After hours (legacy shape)', inbound_agents: one(s.afterHours, 1), legacy_agent_fields: true },
    { phone_number: '+14155550109', nickname: 'SF backup line', inbound_agents: one(s.custsvc, 7), outbound_agents: one(s.custsvc, 7) },
    { phone_number: '+14155550110', nickname: 'Support backup', inbound_agents: one(s.support, 3) },
    { phone_number: '+16505550121', nickname: 'Peninsula Sales (legacy shape)', inbound_agents: one(s.sales, 4), outbound_agents: one(s.sales, 4), legacy_agent_fields: true },
    { phone_number: '+16505550122', nickname: 'Peninsula Front Desk', inbound_agents: one(s.custsvc) },
    { phone_number: '+12125550141', nickname: 'NYC Support', inbound_agents: one(s.support, 3), outbound_agents: one(s.support, 3) },
    { phone_number: '+12125550146', nickname: 'NYC Front Desk', inbound_agents: one(s.custsvc, 7) },
    { phone_number: '+18885550161', nickname: 'Toll-free customer line', inbound_agents: one(s.custsvc, 7) },
    { phone_number: '+19175550181', nickname: 'Field sales mobile', outbound_agents: one(s.sales, 4) },
    { phone_number: '+14155550177', phone_number_type: 'retell-twilio', nickname: 'Bought through Retell', inbound_agents: one(s.sales, 4), outbound_agents: one(s.sales, 4) },
    { phone_number: '+13125550178', phone_number_type: 'retell-telnyx', nickname: 'Chicago (Telnyx via Retell)', inbound_agents: one(s.custsvc, 7) },
  ];
}

function productionNumbers(): RetellNumberSpec[] {
  const p = PRD;
  return [
    { phone_number: '+14155550101', nickname: 'SF Front Desk', inbound_agents: one(p.custsvc, 5), outbound_agents: one(p.custsvc, 5) },
    { phone_number: '+14155550102', nickname: 'SF Sales', inbound_agents: one(p.sales, 3), outbound_agents: one(p.sales, 3) },
    { phone_number: '+16505550123', nickname: 'Peninsula Support', inbound_agents: one(p.support, 2) },
    { phone_number: '+16505550124', nickname: 'Peninsula Callbacks', outbound_agents: one(p.appts, 2) },
    { phone_number: '+16505550125', nickname: 'Peninsula Backup', inbound_agents: one(p.sales, 3), outbound_agents: one(p.sales, 3) },
    { phone_number: '+12125550142', nickname: 'NYC Spare (unassigned)', inbound_agents: [], outbound_agents: [] },
    { phone_number: '+12125550143', nickname: 'NYC Service Desk split', inbound_agents: one(p.custsvc, 5), outbound_agents: one(p.sales, 3) },
    {
      phone_number: '+12125550144', nickname: 'NYC Weighted overflow',
      inbound_agents: [{ agent_id: p.custsvc, agent_version: 5, weight: 0.7 }, { agent_id: p.support, agent_version: 2, weight: 0.3 }],
    },
    { phone_number: '+12125550145', nickname: 'NYC Support Backup', inbound_agents: one(p.support, 2) },
    { phone_number: '+18775550162', nickname: 'Toll-free service (legacy shape)', inbound_agents: one(p.custsvc, 5), legacy_agent_fields: true },
    { phone_number: '+18555550163', nickname: 'Toll-free sales', inbound_agents: one(p.sales, 3), outbound_agents: one(p.sales, 3) },
    // SignalWire numbers imported over SIP: Retell dials the space's SIP domain.
    { phone_number: '+16285550105', nickname: 'SW Bookings', termination_uri: SIGNALWIRE_SIP_DOMAIN, inbound_agents: one(p.appts, 2), outbound_agents: one(p.appts, 2) },
    { phone_number: '+16285550106', nickname: 'SW Concierge (unassigned)', termination_uri: SIGNALWIRE_SIP_DOMAIN },
  ];
}

const stamped = (numbers: RetellNumberSpec[]) => numbers.map((n, i) => ({ ...n, last_modification_timestamp: T0 + 86_400_000 + i * 60_000 }));

export function defaultScenario(): Scenario {
  return {
    description: 'phone-dir sandbox default scenario',
    twilio: {
      account_sid: DEFAULT_ACCOUNT_SID,
      auth_token: hex('phone-dir-sandbox-auth-token'),
      api_keys: [{ sid: makeSid('SK', 'phone-dir-sandbox-api-key'), secret: hex('phone-dir-sandbox-api-key-secret') }],
      credential_lists: [
        { sid: CL_MAIN, friendly_name: 'Retell Main Credentials', date_created: '2024-01-02T16:00:00Z', credentials: [{ username: 'retell_user', password: 'Sandbox-Main-Passw0rd' }] },
        { sid: CL_BACKUP, friendly_name: 'Retell Backup Credentials', date_created: '2024-01-02T16:05:00Z', credentials: [{ username: 'retell_backup', password: 'Sandbox-Backup-Passw0rd' }] },
      ],
      trunks: [
        {
          sid: MAIN, friendly_name: 'Main Retell Trunk', domain_name: 'acme-main.pstn.twilio.com', date_created: '2024-01-02T16:10:00Z',
          origination_urls: [{ sip_url: RETELL_SIP, friendly_name: 'Retell', weight: 10, priority: 10, enabled: true }],
          credential_lists: [CL_MAIN],
        },
        {
          sid: BACKUP, friendly_name: 'Backup Trunk', domain_name: 'acme-backup.pstn.twilio.com', date_created: '2024-01-02T16:15:00Z',
          origination_urls: [{ sip_url: RETELL_SIP, friendly_name: 'Retell (backup)', weight: 10, priority: 20, enabled: true }],
          credential_lists: [CL_BACKUP],
        },
      ],
      incoming_phone_numbers: NUMBERS.map(([phone_number, trunk, friendly_name, extra], i) => ({
        phone_number,
        friendly_name,
        trunk_sid: trunk,
        date_created: new Date(Date.parse('2024-01-03T17:00:00Z') + i * 86_400_000).toISOString(),
        ...extra,
      })),
    },
    signalwire: signalwireProject(),
    retell: {
      workspaces: {
        staging: {
          api_key: `key_sandbox_staging_${hex('staging').slice(0, 24)}`,
          agents: [
            agent(STG.custsvc, 'Customer Service Agent', 7, 0),
            agent(STG.sales, 'Sales Agent', 4, 1),
            agent(STG.support, 'Support Tier 1', 3, 2),
            agent(STG.appts, 'Appointment Setter', 2, 3),
            agent(STG.afterHours, 'After Hours Agent', 1, 4),
            agent(STG.chat, 'Website Chat Agent', 2, 5, 'chat'),
          ],
          phone_numbers: stamped(stagingNumbers()),
        },
        production: {
          api_key: `key_sandbox_production_${hex('production').slice(0, 24)}`,
          agents: [
            agent(PRD.custsvc, 'Customer Service Agent', 5, 0),
            agent(PRD.sales, 'Sales Agent', 3, 1),
            agent(PRD.support, 'Support Tier 1', 2, 2),
            agent(PRD.appts, 'Appointment Setter', 2, 3),
            agent(PRD.chat, 'Website Chat Agent', 1, 4, 'chat'),
          ],
          phone_numbers: stamped(productionNumbers()),
        },
      },
    },
    vapi: { workspaces: { [VAPI_WORKSPACE]: defaultVapiOrg(DEFAULT_ACCOUNT_SID, hex('phone-dir-sandbox-auth-token')) } },
  };
}
