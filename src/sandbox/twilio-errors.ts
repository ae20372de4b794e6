import { ReplyError, json, type Reply } from './types.js';

/** Twilio's REST error body; RestException reads code, message, more_info and status. */
export function twilioError(status: number, code: number, message: string, headers?: Record<string, string>): Reply {
  return json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
}

export function twilioNotFound(path: string): ReplyError {
  return new ReplyError(twilioError(404, 20404, `The requested resource ${path} was not found`));
}

/**
 * Parameter validation errors. The vendor documents list no error codes for these, so the emulator
 * uses 20001 ("Invalid parameter") except where a specific, well-known code exists (21422, 21452).
 */
export function twilioBadRequest(message: string, code = 20001): ReplyError {
  return new ReplyError(twilioError(400, code, message));
}

export function twilioUnauthorized(): Reply {
  return twilioError(401, 20003, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
}

const FAULT_CODES: Record<number, [number, string]> = {
  429: [20429, 'Too Many Requests'],
  500: [20500, 'Internal Server Error'],
  502: [20500, 'Bad Gateway'],
  503: [20503, 'Service Unavailable'],
  504: [20504, 'Gateway Timeout'],
};

export function twilioFault(status: number): Reply {
  const [code, message] = FAULT_CODES[status] ?? [status * 100, `HTTP ${status}`];
  return twilioError(status, code, message);
}
