import { createHash, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'node:crypto';

/**
 * The two ways a SendGrid Inbound Parse post proves where it came from:
 * - HTTP Basic credentials that SendGrid takes from the webhook URL (`https://user:pass@host/path`);
 * - a Parse security policy's ECDSA signature, made like the Event Webhook's.
 */

/** Headers of a signed SendGrid post (API Gateway lower-cases header names). */
export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** Default age after which a signed post is refused as a possible replay. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 10 * 60;

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

/**
 * Reads the verification key SendGrid shows for a security policy: base64 DER
 * (SubjectPublicKeyInfo, P-256), with or without PEM armour.
 * @throws Error when the key is not an EC public key; a wrong key is a configuration fault.
 */
export const readSendGridPublicKey = (publicKey: string | KeyObject): KeyObject => {
  if (typeof publicKey !== 'string') return publicKey;
  const key = publicKey.includes('-----BEGIN')
    ? createPublicKey(publicKey)
    : createPublicKey({
        key: Buffer.from(publicKey.replace(/\s+/g, ''), 'base64'),
        format: 'der',
        type: 'spki',
      });
  if (key.asymmetricKeyType !== 'ec')
    throw new Error(`SendGrid public key is ${key.asymmetricKeyType}, not EC`);
  return key;
};

export interface SendGridSignatureInput {
  /** The policy's verification key (base64 DER or PEM), or a key read once with `readSendGridPublicKey`. */
  publicKey: string | KeyObject;
  /** The raw request body, byte for byte. */
  payload: Buffer;
  /** `X-Twilio-Email-Event-Webhook-Signature`: base64 DER ECDSA signature. */
  signature: string | undefined;
  /** `X-Twilio-Email-Event-Webhook-Timestamp`: Unix seconds. */
  timestamp: string | undefined;
  /** Posts signed longer ago (or further ahead) than this are refused. Default 600 s. */
  toleranceSeconds?: number;
  /** Current time in milliseconds (for tests). */
  now?: number;
}

/**
 * Verifies a SendGrid ECDSA (P-256, SHA-256) signature over `timestamp + raw body` and refuses
 * stale timestamps.
 *
 * Verifies with node:crypto over the raw bytes, not with `@sendgrid/eventwebhook`: that package
 * turns a Buffer payload into a UTF-8 string before hashing, so any body that is not valid
 * UTF-8 (every Parse post with a binary attachment) would fail verification. For UTF-8 bodies
 * both give the same answer (the unit tests check this).
 *
 * @throws Error only when the public key itself is unusable (a configuration fault).
 */
export const verifySendGridSignature = ({
  publicKey,
  payload,
  signature,
  timestamp,
  toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  now = Date.now(),
}: SendGridSignatureInput): boolean => {
  const key = readSendGridPublicKey(publicKey);
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp.trim())) return false;
  const signedAt = Number(timestamp.trim());
  if (Math.abs(now / 1000 - signedAt) > toleranceSeconds) return false;
  try {
    return verify(
      'sha256',
      Buffer.concat([Buffer.from(timestamp, 'utf8'), payload]),
      { key, dsaEncoding: 'der' },
      Buffer.from(signature.trim(), 'base64'),
    );
  } catch {
    return false;
  }
};
