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

/**
 * The provider refuses to message this recipient because they opted out with it (Twilio 21610:
 * the lead texted STOP and the carrier or Twilio blocks the number). The sender records the
 * opt-out so nothing tries again until the lead opts back in.
 */
export class RecipientOptedOutError extends PermanentError {
  override readonly name: string = 'RecipientOptedOutError';
}
