import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A webhook request refused with a status and a reason the caller can read. */
export class WebhookRejection extends Error {
  override readonly name = 'WebhookRejection';
  constructor(
    readonly statusCode: 400 | 401 | 403 | 405 | 413 | 415 | 422 | 503,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

/** The request's media type, lower-cased and without parameters (`multipart/form-data`); '' when absent. */
export const mediaType = (event: APIGatewayProxyEventV2): string =>
  (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Refuses a request whose media type is not `expected` with 415, naming both (RFC 9110 §15.5.16).
 * `allowMissing` lets a request without a Content-Type through, for a provider that may omit it.
 */
export const requireMediaType = (
  event: APIGatewayProxyEventV2,
  expected: string,
  options: { allowMissing?: boolean } = {},
) => {
  const actual = mediaType(event);
  if (actual === expected || (actual === '' && options.allowMissing)) return;
  throw new WebhookRejection(415, `Expected ${expected}, got ${actual || 'no content type'}`);
};

/** The raw request body; API Gateway base64-encodes binary (multipart) bodies. */
export const rawBody = (event: APIGatewayProxyEventV2, maxBytes: number): Buffer => {
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > maxBytes) {
    throw new WebhookRejection(413, `Request body is ${bytes.length} bytes; the limit is ${maxBytes}`);
  }
  return bytes;
};

export const requireMethod = (event: APIGatewayProxyEventV2, method: string) => {
  if (event.requestContext.http.method !== method) {
    throw new WebhookRejection(405, `Use ${method}`, { allow: method });
  }
};

export const textResponse = (
  statusCode: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': contentType, ...headers },
  body,
});

/**
 * The one place webhook errors become responses: a rejection answers its status and reason; anything
 * else is a 500 (the provider retries where it can, e.g. SendGrid on 5xx) with no internals leaked.
 */
export const rejectionResponse = (
  error: unknown,
  logger: Logger,
  onRejected?: (rejection: WebhookRejection) => void,
): APIGatewayProxyStructuredResultV2 => {
  if (error instanceof WebhookRejection) {
    // A refusal is the webhook doing its job, not a fault: INFO (the WebhookRejected metric and the
    // API's 4xx alarm count them); the local terminal shows it on the request's own line instead.
    logger.info('Webhook rejected', { statusCode: error.statusCode, reason: error.message });
    onRejected?.(error);
    return textResponse(error.statusCode, `${error.message}\n`, undefined, error.headers);
  }
  logger.error('Webhook failed', { error: error as Error });
  return textResponse(500, 'Internal error; please retry\n');
};
