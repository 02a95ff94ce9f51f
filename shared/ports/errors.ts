/**
 * A failure that retrying cannot fix (bad input, opted-out contact, invalid number):
 * recorded and dropped, never thrown back to SQS.
 */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
}

/** A failure that may pass (timeout, 5xx, throttle): thrown so SQS redelivers the record. */
export class TransientError extends Error {
  override readonly name: string = 'TransientError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
