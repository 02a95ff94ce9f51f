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
