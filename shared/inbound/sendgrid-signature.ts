import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/**
 * SendGrid's ECDSA signature on the posts it makes: the Event Webhook's, and the Inbound Parse
 * security policy's, made the same way.
 * (twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features)
 */

/** Headers of a signed SendGrid post (API Gateway lower-cases header names). */
export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** Default age after which a signed post is refused as a possible replay. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 10 * 60;

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
