import { isoCountryOf, type AvailableNumber } from './available.js';
import { iso8601, rfc2822 } from './ids.js';
import { nationalFormat } from './phone-format.js';
import type { Credential, CredentialList, IncomingNumber, OriginationUrl, Trunk } from './state.js';
import type { Api2010Account } from './twilio-context.js';
import { API_ORIGIN, TRUNKING_ORIGIN } from './twilio-paging.js';

/*
 * Wire shapes as Twilio sends them (sdk-notes §2.3–2.6). Empty values are deliberately mixed:
 * Twilio returns some unset fields as "" and others as null, and clients must cope with both.
 */

export const accountPath = (ac: string) => `/2010-04-01/Accounts/${ac}`;

/** The per-type collections (Local.json, TollFree.json, Mobile.json) describe their items without `type`. */
export function renderIncomingNumber(account: Pick<Api2010Account, 'sid' | 'path'>, n: IncomingNumber, withType = true) {
  const body = {
    account_sid: account.sid,
    address_requirements: 'none',
    address_sid: null,
    api_version: '2010-04-01',
    beta: false,
    bundle_sid: null,
    capabilities: { ...n.capabilities },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateUpdated),
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    friendly_name: n.friendlyName,
    identity_sid: null,
    origin: n.origin,
    phone_number: n.phoneNumber,
    sid: n.sid,
    sms_application_sid: n.smsApplicationSid,
    sms_fallback_method: n.smsFallbackMethod,
    sms_fallback_url: n.smsFallbackUrl,
    sms_method: n.smsMethod,
    sms_url: n.smsUrl,
    status: 'in-use',
    status_callback: n.statusCallback,
    status_callback_method: n.statusCallbackMethod,
    trunk_sid: n.trunkSid,
    type: n.type,
    uri: `${account.path}/IncomingPhoneNumbers/${n.sid}.json`,
    voice_application_sid: n.voiceApplicationSid,
    voice_caller_id_lookup: false,
    voice_fallback_method: n.voiceFallbackMethod,
    voice_fallback_url: n.voiceFallbackUrl,
    voice_method: n.voiceMethod,
    voice_receive_mode: 'voice',
    voice_url: n.voiceUrl,
  };
  if (withType) return body;
  const { type: _type, ...rest } = body;
  return rest;
}

export function renderAvailableNumber(n: AvailableNumber) {
  return {
    address_requirements: 'none',
    beta: false,
    // Live responses use uppercase MMS/SMS and lowercase voice here, unlike every other resource.
    capabilities: { MMS: n.capabilities.mms, SMS: n.capabilities.sms, voice: n.capabilities.voice },
    friendly_name: nationalFormat(n.phoneNumber),
    iso_country: isoCountryOf(n.phoneNumber),
    lata: n.place?.lata ?? null,
    // Coordinates are strings on the wire although the d.ts and the OpenAPI document say number.
    latitude: n.place?.lat ?? null,
    locality: n.locality,
    longitude: n.place?.lng ?? null,
    phone_number: n.phoneNumber,
    postal_code: n.postalCode,
    rate_center: n.place?.rate ?? null,
    region: n.region,
  };
}

export function renderCredentialList(ac: string, cl: CredentialList) {
  const uri = `${accountPath(ac)}/SIP/CredentialLists/${cl.sid}`;
  return {
    account_sid: ac,
    date_created: rfc2822(cl.dateCreated),
    date_updated: rfc2822(cl.dateUpdated),
    friendly_name: cl.friendlyName,
    sid: cl.sid,
    subresource_uris: { credentials: `${uri}/Credentials.json` },
    uri: `${uri}.json`,
  };
}

/** Never includes the password: Twilio does not return it. */
export function renderCredential(ac: string, clSid: string, c: Credential) {
  return {
    account_sid: ac,
    credential_list_sid: clSid,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(c.dateUpdated),
    sid: c.sid,
    uri: `${accountPath(ac)}/SIP/CredentialLists/${clSid}/Credentials/${c.sid}.json`,
    username: c.username,
  };
}

const trunkUrl = (tk: string) => `${TRUNKING_ORIGIN}/v1/Trunks/${tk}`;

export function renderTrunk(ac: string, t: Trunk) {
  const hasCreds = t.credentialLists.size > 0;
  return {
    account_sid: ac,
    auth_type: hasCreds ? 'CREDENTIAL_LIST' : '',
    auth_type_set: hasCreds ? ['CREDENTIAL_LIST'] : [],
    cnam_lookup_enabled: false,
    date_created: iso8601(t.dateCreated),
    date_updated: iso8601(t.dateUpdated),
    disaster_recovery_method: 'POST',
    disaster_recovery_url: null,
    domain_name: t.domainName,
    friendly_name: t.friendlyName,
    links: {
      credential_lists: `${trunkUrl(t.sid)}/CredentialLists`,
      ip_access_control_lists: `${trunkUrl(t.sid)}/IpAccessControlLists`,
      origination_urls: `${trunkUrl(t.sid)}/OriginationUrls`,
      phone_numbers: `${trunkUrl(t.sid)}/PhoneNumbers`,
      recording: `${trunkUrl(t.sid)}/Recording`,
    },
    recording: { mode: 'do-not-record', trim: 'do-not-trim' },
    secure: t.secure,
    sid: t.sid,
    symmetric_rtp_enabled: false,
    transfer_caller_id: 'from-transferee',
    transfer_mode: 'disable-all',
    url: trunkUrl(t.sid),
  };
}

/** A trunk's phone number: same PN sid as the IncomingPhoneNumber, ISO dates, absolute links. */
export function renderTrunkNumber(ac: string, n: IncomingNumber, tk: string) {
  return {
    account_sid: ac,
    address_requirements: 'none',
    api_version: '2010-04-01',
    beta: false,
    capabilities: { voice: n.capabilities.voice, sms: n.capabilities.sms, mms: n.capabilities.mms },
    date_created: iso8601(n.dateCreated),
    date_updated: iso8601(n.dateUpdated),
    friendly_name: n.friendlyName,
    links: { phone_number: `${API_ORIGIN}${accountPath(ac)}/IncomingPhoneNumbers/${n.sid}.json` },
    phone_number: n.phoneNumber,
    sid: n.sid,
    sms_application_sid: n.smsApplicationSid,
    sms_fallback_method: n.smsFallbackMethod,
    sms_fallback_url: n.smsFallbackUrl,
    sms_method: n.smsMethod,
    sms_url: n.smsUrl,
    status_callback: n.statusCallback,
    status_callback_method: n.statusCallbackMethod,
    trunk_sid: tk,
    url: `${trunkUrl(tk)}/PhoneNumbers/${n.sid}`,
    voice_application_sid: n.voiceApplicationSid === '' ? null : n.voiceApplicationSid,
    voice_caller_id_lookup: null,
    voice_fallback_method: null,
    voice_fallback_url: n.voiceFallbackUrl,
    voice_method: n.voiceMethod,
    voice_url: n.voiceUrl ?? '',
  };
}

export function renderOriginationUrl(ac: string, tk: string, o: OriginationUrl) {
  return {
    account_sid: ac,
    date_created: iso8601(o.dateCreated),
    date_updated: iso8601(o.dateUpdated),
    enabled: o.enabled,
    friendly_name: o.friendlyName,
    priority: o.priority,
    sid: o.sid,
    sip_url: o.sipUrl,
    trunk_sid: tk,
    url: `${trunkUrl(tk)}/OriginationUrls/${o.sid}`,
    weight: o.weight,
  };
}

export function renderTrunkCredentialList(ac: string, tk: string, cl: CredentialList, attached: Date) {
  return {
    account_sid: ac,
    date_created: iso8601(attached),
    date_updated: iso8601(attached),
    friendly_name: cl.friendlyName,
    sid: cl.sid,
    trunk_sid: tk,
    url: `${trunkUrl(tk)}/CredentialLists/${cl.sid}`,
  };
}
