// Only the webhooks module: importing the root `twilio` package would bundle ~3.7 MB.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { header, rawBody, requireMediaType, requireMethod, WebhookRejection } from '#shared/lambda/http.ts';

/** Header carrying Twilio's signature (API Gateway lower-cases header names). */
export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** Decodes an `application/x-www-form-urlencoded` body; a repeated key keeps its last value. */
export const parseTwilioForm = (rawBody: string): Record<string, string> => {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawBody)) params[key] = value;
  return params;
};

export interface TwilioSignatureInput {
  authToken: string;
  /** The public URL Twilio was given (with query string), not one rebuilt from proxy headers. */
  url: string;
  /** The decoded POST parameters. */
  params: Record<string, string>;
}

/**
 * Checks `X-Twilio-Signature` (HMAC-SHA1 of URL + sorted params) with twilio's own
 * `validateRequest`, which also accepts the URL with the default port added or removed.
 */
export const verifyTwilioSignature = ({
  authToken,
  signature,
  url,
  params,
}: TwilioSignatureInput & { signature: string | undefined }): boolean => {
  if (!authToken || !signature) return false;
  try {
    return validateRequest(authToken, signature, url, params);
  } catch {
    // e.g. a URL that `new URL()` cannot parse
    return false;
  }
};

/** The signature Twilio would send for this request (for the test-sending script and tests). */
export const twilioSignature = ({ authToken, url, params }: TwilioSignatureInput): string =>
  getExpectedTwilioSignature(authToken, url, params);

/**
 * The parameters of a Twilio webhook (an incoming message, a status callback), once the request
 * is shown to come from Twilio. Throws `WebhookRejection` for anything else: wrong method or
 * content type (405/415), too large (413), no or a wrong signature (403).
 */
export const readSignedTwilioForm = (
  event: APIGatewayProxyEventV2,
  options: { authToken: string; publicBaseUrl: string; maxBytes: number },
): Record<string, string> => {
  requireMethod(event, 'POST');
  requireMediaType(event, 'application/x-www-form-urlencoded');
  const params = parseTwilioForm(rawBody(event, options.maxBytes).toString('utf8'));

  const signature = header(event, TWILIO_SIGNATURE_HEADER);
  if (!signature) throw new WebhookRejection(403, 'Missing X-Twilio-Signature');
  // Twilio signs the URL it was given, so rebuild that, not the URL API Gateway saw.
  const url = `${options.publicBaseUrl.replace(/\/$/, '')}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
  if (!verifyTwilioSignature({ authToken: options.authToken, signature, url, params })) {
    throw new WebhookRejection(403, 'Invalid X-Twilio-Signature');
  }
  return params;
};
