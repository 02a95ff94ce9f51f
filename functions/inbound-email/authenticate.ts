import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The two ways a SendGrid Inbound Parse post proves where it came from:
 * - HTTP Basic credentials that SendGrid takes from the webhook URL (`https://user:pass@host/path`);
 * - a Parse security policy's ECDSA signature, made like the Event Webhook's
 *   (`#shared/inbound/sendgrid-signature.ts`).
 */

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares two strings in constant time (over their SHA-256 digests, which have equal length). */
const safeEqual = (a: string, b: string): boolean => timingSafeEqual(sha256(a), sha256(b));

/**
 * Checks an `Authorization: Basic …` header against the expected credentials in constant time.
 * Fails closed: a missing or malformed header, or an empty expected password, is `false`.
 * The expected values are the decoded ones: `p%40ss` in the URL is compared as `p@ss`.
 */
export const checkBasicAuth = (
  authorizationHeader: string | undefined,
  expected: { user: string; password: string },
): boolean => {
  if (!authorizationHeader || !expected.password) return false;
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorizationHeader.trim());
  const encoded = match?.[1];
  if (!encoded) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return false;
  const userOk = safeEqual(decoded.slice(0, colon), expected.user);
  const passwordOk = safeEqual(decoded.slice(colon + 1), expected.password);
  return userOk && passwordOk;
};
