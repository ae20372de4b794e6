import { createHash } from 'node:crypto';
import type { VapiOrgSpec } from './scenario-types.js';
import { uuidFrom } from './vapi-scenario.js';

/*
 * The default scenario's Vapi organisation, workspace `vapi-support`: one number of every Vapi provider
 * type, SignalWire numbers registered as byo-phone-number over a SIP trunk credential, a SIP-URI-only
 * Vapi number (no E.164, so phone-dir skips it), assistants bound and unbound.
 * The assistant ids are the ones in agents/<name>/vapi-support.json.
 */

export const VAPI_WORKSPACE = 'vapi-support';
export const VAPI_ASSISTANTS = {
  support: uuidFrom('vapi-assistant:support'),
  sales: uuidFrom('vapi-assistant:sales'),
  booking: uuidFrom('vapi-assistant:booking'),
};
export const SIGNALWIRE_SIP_DOMAIN = 'phone-dir-sandbox.sip.signalwire.com';
const SIP_TRUNK = uuidFrom('vapi-credential:signalwire-trunk');
const VONAGE = uuidFrom('vapi-credential:vonage');
const TELNYX = uuidFrom('vapi-credential:telnyx');

const at = (day: number, hour = 9) => new Date(Date.UTC(2025, 2, day, hour)).toISOString();

export function defaultVapiOrg(twilioAccountSid: string, twilioAuthToken: string): VapiOrgSpec {
  const a = VAPI_ASSISTANTS;
  return {
    api_key: `vapi-sandbox-${createHash('md5').update('vapi-support').digest('hex').slice(0, 24)}`,
    org_id: uuidFrom('vapi-org:vapi-support'),
    name: 'Support (Vapi)',
    assistants: [
      { id: a.support, name: 'Support Assistant', created_at: at(1) },
      { id: a.sales, name: 'Sales Assistant', created_at: at(2) },
      { id: a.booking, name: 'Booking Assistant', created_at: at(3) },
    ],
    credentials: [
      {
        id: SIP_TRUNK, provider: 'byo-sip-trunk', name: 'SignalWire SIP trunk', gateways: [{ ip: SIGNALWIRE_SIP_DOMAIN }],
        auth_username: 'vapi_signalwire', auth_password: 'Sandbox-SignalWire-Passw0rd', created_at: at(4),
      },
      { id: VONAGE, provider: 'vonage', name: 'Vonage account', created_at: at(4, 10) },
      { id: TELNYX, provider: 'telnyx', name: 'Telnyx account', created_at: at(4, 11) },
    ],
    phone_numbers: [
      { provider: 'twilio', number: '+16505550194', name: 'Parked (Twilio via Vapi)', assistant_id: a.support, twilio_account_sid: twilioAccountSid, twilio_auth_token: twilioAuthToken, created_at: at(5) },
      { provider: 'byo-phone-number', number: '+16285550100', name: 'Support (SignalWire)', assistant_id: a.support, credential_id: SIP_TRUNK, created_at: at(6) },
      { provider: 'byo-phone-number', number: '+16285550101', name: 'Sales (SignalWire)', assistant_id: a.sales, credential_id: SIP_TRUNK, created_at: at(7) },
      { provider: 'byo-phone-number', number: '+16285550102', name: 'Spare (SignalWire)', credential_id: SIP_TRUNK, created_at: at(8) },
      { provider: 'vapi', number: '+14155550401', name: 'Booking line', assistant_id: a.booking, server_url: 'https://hooks.acme.example/vapi/booking', created_at: at(9) },
      { provider: 'vonage', number: '+442071838750', name: 'London (Vonage)', credential_id: VONAGE, created_at: at(10) },
      { provider: 'telnyx', number: '+13125550402', name: 'Chicago (Telnyx)', assistant_id: a.sales, credential_id: TELNYX, created_at: at(11) },
      { provider: 'vapi', sip_uri: 'sip:support-desk@sip.vapi.ai', name: 'SIP desk (no number)', assistant_id: a.support, created_at: at(12) },
    ],
  };
}
