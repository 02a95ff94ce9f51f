import { createHmac, timingSafeEqual } from 'node:crypto';

const sameHex = (expected: string, given: string): boolean => {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(given, 'hex');
  return a.length > 0 && a.length === b.length && timingSafeEqual(a, b);
};

/** How old a Calendly signature may be, against replays (seconds; Calendly suggests a few minutes). */
export const CALENDLY_TOLERANCE_SECONDS = 180;

/**
 * Calendly's `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex>`: HMAC-SHA256 with the
 * subscription's signing key over `<t>.<raw body>`, within `CALENDLY_TOLERANCE_SECONDS` of now
 * (https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures).
 */
export const verifyCalendlySignature = (args: {
  header: string | undefined;
  body: string;
  signingKey: string;
  nowMs?: number;
}): 'valid' | 'invalid' | 'stale' => {
  const parts = Object.fromEntries(
    (args.header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string]),
  );
  const t = Number(parts.t);
  if (!parts.v1 || !Number.isInteger(t)) return 'invalid';
  const expected = createHmac('sha256', args.signingKey).update(`${parts.t}.${args.body}`).digest('hex');
  if (!sameHex(expected, parts.v1)) return 'invalid';
  return Math.abs((args.nowMs ?? Date.now()) / 1000 - t) > CALENDLY_TOLERANCE_SECONDS ? 'stale' : 'valid';
};

/** The header Calendly signs with, for tests and the local simulator. */
export const calendlySignature = (body: string, signingKey: string, unixSeconds: number): string =>
  `t=${unixSeconds},v1=${createHmac('sha256', signingKey).update(`${unixSeconds}.${body}`).digest('hex')}`;

/**
 * Cal.com's `X-Cal-Signature-256`: the hex HMAC-SHA256 of the raw body with the webhook's secret
 * (some versions prefix `sha256=`).
 */
export const verifyCalComSignature = (args: {
  header: string | undefined;
  body: string;
  secret: string;
}): boolean =>
  sameHex(
    createHmac('sha256', args.secret).update(args.body).digest('hex'),
    (args.header ?? '').replace(/^sha256=/, ''),
  );

export const calComSignature = (body: string, secret: string): string =>
  createHmac('sha256', secret).update(body).digest('hex');
