import { type CountryCode, findPhoneNumbersInText, parsePhoneNumberFromString } from 'libphonenumber-js';
import { maskEmail, normaliseEmail } from './email-address.ts';
import { leadIdOf } from './lead-id.ts';

// Email addresses live in their own module so the email webhook bundles no phone-number library.
export { findEmailInText, maskEmail, normaliseEmail, parseEmailAddress } from './email-address.ts';

/** E.164 form of a phone number ('+15125550123'), or null when it is not a valid number. */
export function normalisePhone(raw: string, defaultCountry = 'US'): string | null {
  const trimmed = raw.trim().replace(/^tel:/i, '');
  if (!/\d/.test(trimmed)) return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry.toUpperCase() as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** The first valid phone number written in free text, in E.164. */
export function findPhoneInText(text: string, defaultCountry = 'US'): string | null {
  for (const found of findPhoneNumbersInText(text, defaultCountry.toUpperCase() as CountryCode)) {
    if (found.number.isValid()) return found.number.number;
  }
  return null;
}

export type Contact = { kind: 'phone'; value: string } | { kind: 'email'; value: string };

/** A phone number (E.164) or an email address (lower-cased): what identifies a lead. */
export function normaliseContact(raw: string, defaultCountry = 'US'): Contact | null {
  if (raw.includes('@')) {
    const email = normaliseEmail(raw);
    return email ? { kind: 'email', value: email } : null;
  }
  const phone = normalisePhone(raw, defaultCountry);
  return phone ? { kind: 'phone', value: phone } : null;
}

/**
 * The lead id for a contact. Derived, not stored, so that every function that sees the same
 * phone number or address reaches the same lead without a lookup.
 */
export function leadIdForContact(contact: string): string {
  return leadIdOf(normaliseContact(contact)?.value ?? contact.trim().toLowerCase());
}

/** '+15125550123' → '+1512***0123', for logs. */
export function maskPhone(phone: string): string {
  const value = phone.trim();
  if (/^\+\d{8,15}$/.test(value)) return `${value.slice(0, 5)}***${value.slice(-4)}`;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 4 ? `***${digits.slice(-2)}` : '***';
}

/** Masks whichever kind of contact it is given. */
export function maskContact(contact: string): string {
  return contact.includes('@') ? maskEmail(contact) : maskPhone(contact);
}

const STATE_TIME_ZONES: Readonly<Record<string, string>> = {
  AL: 'America/Chicago',
  AK: 'America/Anchorage',
  AZ: 'America/Phoenix',
  AR: 'America/Chicago',
  CA: 'America/Los_Angeles',
  CO: 'America/Denver',
  CT: 'America/New_York',
  DE: 'America/New_York',
  DC: 'America/New_York',
  FL: 'America/New_York',
  GA: 'America/New_York',
  HI: 'Pacific/Honolulu',
  ID: 'America/Boise',
  IL: 'America/Chicago',
  IN: 'America/Indiana/Indianapolis',
  IA: 'America/Chicago',
  KS: 'America/Chicago',
  KY: 'America/New_York',
  LA: 'America/Chicago',
  ME: 'America/New_York',
  MD: 'America/New_York',
  MA: 'America/New_York',
  MI: 'America/Detroit',
  MN: 'America/Chicago',
  MS: 'America/Chicago',
  MO: 'America/Chicago',
  MT: 'America/Denver',
  NE: 'America/Chicago',
  NV: 'America/Los_Angeles',
  NH: 'America/New_York',
  NJ: 'America/New_York',
  NM: 'America/Denver',
  NY: 'America/New_York',
  NC: 'America/New_York',
  ND: 'America/Chicago',
  OH: 'America/New_York',
  OK: 'America/Chicago',
  OR: 'America/Los_Angeles',
  PA: 'America/New_York',
  RI: 'America/New_York',
  SC: 'America/New_York',
  SD: 'America/Chicago',
  TN: 'America/Chicago',
  TX: 'America/Chicago',
  UT: 'America/Denver',
  VT: 'America/New_York',
  VA: 'America/New_York',
  WA: 'America/Los_Angeles',
  WV: 'America/New_York',
  WI: 'America/Chicago',
  WY: 'America/Denver',
  PR: 'America/Puerto_Rico',
  VI: 'America/St_Thomas',
  GU: 'Pacific/Guam',
  AS: 'Pacific/Pago_Pago',
  MP: 'Pacific/Saipan',
};

const STATE_NAMES: Readonly<Record<string, string>> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  'washington dc': 'DC',
  'washington d.c.': 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
  'puerto rico': 'PR',
  'us virgin islands': 'VI',
  'virgin islands': 'VI',
  guam: 'GU',
  'american samoa': 'AS',
  'northern mariana islands': 'MP',
};

/**
 * The time zone most of a US state lives in, from its two-letter code (Twilio's `FromState`,
 * e.g. "TX") or its name. States split across zones get the zone of most of their people.
 */
export function usStateTimeZone(state: string): string | undefined {
  const key = state.trim().replace(/\s+/g, ' ');
  const code = key.length === 2 ? key.toUpperCase() : STATE_NAMES[key.toLowerCase()];
  return code ? STATE_TIME_ZONES[code] : undefined;
}
