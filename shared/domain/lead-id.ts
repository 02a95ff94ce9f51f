import { createHash } from 'node:crypto';

/**
 * The lead id for a contact already in canonical form (E.164 phone, lower-cased email):
 * `ld_` + 20 hex of its SHA-256. Derived, not stored, so that every function that sees the same
 * contact reaches the same lead without a lookup. `leadIdForContact` (contact.ts) normalises first.
 */
export function leadIdOf(canonicalContact: string): string {
  return `ld_${createHash('sha256').update(canonicalContact).digest('hex').slice(0, 20)}`;
}
