import { normalisePhone } from './contact.ts';

/**
 * Who sent a text through Twilio, from its `From` parameter: a phone number on SMS, or
 * `whatsapp:+E164` on WhatsApp. Short codes and alphanumeric sender IDs cannot be answered.
 */
export type TextingSender =
  | { kind: 'phone'; channel: 'sms' | 'whatsapp'; phone: string }
  | { kind: 'unanswerable'; reason: string };

/**
 * Mexican mobile numbers once carried a `1` after the country code (+52 1 55…); Mexico dropped it
 * in 2019 and libphonenumber no longer accepts it, but WhatsApp ids of older accounts still carry
 * it (`whatsapp:+5215512345678`). The number is the same without it.
 */
const withoutMexicanMobilePrefix = (raw: string): string => raw.replace(/^\+521(\d{10})$/, '+52$1');

/**
 * Reads Twilio's `From`.
 * @returns the E.164 phone and the channel, or why the sender cannot be answered
 */
export const readTextingSender = (from: string): TextingSender => {
  const whatsapp = /^whatsapp:/i.test(from.trim());
  const raw = from.trim().replace(/^whatsapp:/i, '');
  const phone = normalisePhone(whatsapp ? withoutMexicanMobilePrefix(raw) : raw);
  if (phone) return { kind: 'phone', channel: whatsapp ? 'whatsapp' : 'sms', phone };
  if (/^\d{3,8}$/.test(raw)) {
    return {
      kind: 'unanswerable',
      reason: `From is a short code (${raw.length} digits): a person cannot be answered there`,
    };
  }
  if (/[a-z]/i.test(raw) && !raw.includes('@')) {
    return { kind: 'unanswerable', reason: 'From is an alphanumeric sender ID: it cannot receive replies' };
  }
  return { kind: 'unanswerable', reason: 'From is not a phone number that can be answered' };
};
