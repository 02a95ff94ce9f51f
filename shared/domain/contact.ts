import { createHash } from 'node:crypto';
import { type CountryCode, findPhoneNumbersInText, parsePhoneNumberFromString } from 'libphonenumber-js';

/** E.164 form of a phone number ('+15125550123'), or null when it is not a valid number. */
export function normalisePhone(raw: string, defaultCountry = 'US'): string | null {
  const trimmed = raw.trim().replace(/^tel:/i, '');
  if (!/\d/.test(trimmed)) return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry.toUpperCase() as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

// Deliberately narrower than RFC 5322: a lead's address has a dotted domain we could mail.
const ADDRESS =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function cleanAddress(raw: string): string | null {
  const address = raw
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
  return address.length <= 320 && ADDRESS.test(address) ? address : null;
}

function cleanDisplayName(raw: string): string | undefined {
  let name = raw.trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) {
    name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  name = name.replace(/\s+/g, ' ').trim();
  return name.length > 0 ? name : undefined;
}

/**
 * An email address from a header value or a typed address: `Jane Doe <jane@x.com>`,
 * `"Doe, Jane" <jane@x.com>`, `jane@x.com (Jane Doe)` or a bare address.
 */
export function parseEmailAddress(raw: string): { address: string; name?: string } | null {
  const value = raw.trim();
  if (value.length === 0 || value.length > 1000) return null;

  const angled = /^(.*)<([^<>]+)>\s*$/s.exec(value);
  if (angled) {
    const address = cleanAddress(angled[2] ?? '');
    if (!address) return null;
    const name = cleanDisplayName(angled[1] ?? '');
    return name && name.toLowerCase() !== address ? { address, name } : { address };
  }

  const commented = /^(\S+)\s*\(([^()]*)\)\s*$/.exec(value);
  if (commented) {
    const address = cleanAddress(commented[1] ?? '');
    if (!address) return null;
    const name = cleanDisplayName(commented[2] ?? '');
    return name ? { address, name } : { address };
  }

  const address = cleanAddress(value);
  return address ? { address } : null;
}

/** The lower-cased address alone, or null when there is none. */
export function normaliseEmail(raw: string): string | null {
  return parseEmailAddress(raw)?.address ?? null;
}

/** The first valid phone number written in free text, in E.164. */
export function findPhoneInText(text: string, defaultCountry = 'US'): string | null {
  for (const found of findPhoneNumbersInText(text, defaultCountry.toUpperCase() as CountryCode)) {
    if (found.number.isValid()) return found.number.number;
  }
  return null;
}

/** The first valid email address written in free text, lower-cased. */
export function findEmailInText(text: string): string | null {
  for (const match of text.matchAll(/[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,63}\b/gi)) {
    const address = normaliseEmail(match[0].replace(/\.+$/, ''));
    if (address) return address;
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
  const canonical = normaliseContact(contact)?.value ?? contact.trim().toLowerCase();
  return `ld_${createHash('sha256').update(canonical).digest('hex').slice(0, 20)}`;
}

/** '+15125550123' → '+1512***0123', for logs. */
export function maskPhone(phone: string): string {
  const value = phone.trim();
  if (/^\+\d{8,15}$/.test(value)) return `${value.slice(0, 5)}***${value.slice(-4)}`;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 4 ? `***${digits.slice(-2)}` : '***';
}

/** 'jane.doe@x.com' → 'j***@x.com', for logs. */
export function maskEmail(email: string): string {
  const value = email.trim();
  const at = value.lastIndexOf('@');
  if (at < 0) return '***';
  const first = value.slice(0, at).charAt(0);
  return `${first}***${value.slice(at)}`;
}

/** Masks whichever kind of contact it is given. */
export function maskContact(contact: string): string {
  return contact.includes('@') ? maskEmail(contact) : maskPhone(contact);
}
