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
  /**
   * True when the provider surely did not act on the request (it answered 408, 429 or 503, or the
   * connection was refused); false when it may have (a timeout, a reset, a 500 after the request
   * reached it), so a send must not simply be repeated.
   */
  readonly notProcessed: boolean;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions & { notProcessed?: boolean },
  ) {
    super(message, options);
    this.notProcessed = options?.notProcessed ?? false;
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

/**
 * The number cannot take texts (Twilio 21614: not a mobile number, i.e. a landline): nothing
 * should try to text it again until the person texts the business themselves.
 */
export class RecipientNotTextableError extends PermanentError {
  override readonly name: string = 'RecipientNotTextableError';
}
