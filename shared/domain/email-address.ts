import { addressParser, decodeWords } from 'postal-mime';

/**
 * Email addresses: what a lead's address is, how it is written in a log. Kept apart from phone
 * numbers (`contact.ts`) so that the email webhook bundles no phone-number library.
 */

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

/**
 * The person's name from a display name, or undefined when it is not one: a name that is an
 * address or a domain ("sam@othermail.example", phishing-style) is no name to greet anyone by,
 * and "Doe, John" (the directory order Outlook and Exchange send) reads "John Doe".
 */
export function personName(displayName: string, address?: string): string | undefined {
  let name = displayName
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .trim();
  if (!name || /@|https?:|www\.|\.(?:com|net|org|example)\b/i.test(name)) return undefined;
  if (address && name.toLowerCase() === address.toLowerCase()) return undefined;
  const reversed = /^([^,\d]{1,40}),\s*([^,\d]{1,40})$/u.exec(name);
  if (reversed) name = `${reversed[2]} ${reversed[1]}`;
  return name.slice(0, 200);
}

export interface Mailbox {
  /** Lower-cased address. */
  address: string;
  name?: string;
}

/**
 * Every mailbox in an address header (RFC 5322 §3.4: lists, groups, quoted and encoded display
 * names, comments), read by postal-mime's parser; entries without a usable address are left out.
 */
export function parseMailboxes(header: string): Mailbox[] {
  if (header.length > 10_000) return [];
  return addressParser(header, { flatten: true }).flatMap((entry) => {
    if (!('address' in entry)) return [];
    const address = cleanAddress(entry.address ?? '');
    if (!address) return [];
    const name = personName(entry.name ? decodeWords(entry.name) : '', address);
    return [name ? { address, name } : { address }];
  });
}

/**
 * An email address from a header value or a typed address: `Jane Doe <jane@x.com>`,
 * `"Doe, Jane" <jane@x.com>`, `jane@x.com (Jane Doe)` or a bare address. With several mailboxes
 * (RFC 5322 allows them in From) the first usable one.
 */
export function parseEmailAddress(raw: string): Mailbox | null {
  const value = raw.trim();
  if (value.length === 0 || value.length > 1000) return null;
  // A bare address has no spaces: "a b@example.com" is a typo, not a name and an address.
  if (!/[<(,;:]/.test(value) && /\s/.test(value)) return null;
  return parseMailboxes(value)[0] ?? null;
}

/** The lower-cased address alone, or null when there is none. */
export function normaliseEmail(raw: string): string | null {
  return parseEmailAddress(raw)?.address ?? null;
}

/** The first valid email address written in free text, lower-cased. */
export function findEmailInText(text: string): string | null {
  for (const match of text.matchAll(/[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,63}\b/gi)) {
    const address = normaliseEmail(match[0].replace(/\.+$/, ''));
    if (address) return address;
  }
  return null;
}

/** 'jane.doe@x.com' → 'j***@x.com', for logs. */
export function maskEmail(email: string): string {
  const value = email.trim();
  const at = value.lastIndexOf('@');
  if (at < 0) return '***';
  const first = value.slice(0, at).charAt(0);
  return `${first}***${value.slice(at)}`;
}
