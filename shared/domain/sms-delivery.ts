/**
 * How far an outbound text got, as Twilio's status callbacks report it. Callbacks
 * arrive out of order and more than once, so each status has a rank and a message only ever
 * moves to a higher one: a late `sent` never undoes `delivered`.
 *
 * Twilio's statuses: https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
 */
export const smsDeliveryRanks = {
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  // The end of the road: whichever of these arrives first stays.
  delivered: 5,
  undelivered: 5,
  failed: 5,
  canceled: 5,
  // Read receipts (WhatsApp, RCS) come after delivery.
  read: 6,
} as const;

export type SmsDeliveryStatus = keyof typeof smsDeliveryRanks;

export const isSmsDeliveryStatus = (value: string): value is SmsDeliveryStatus =>
  Object.hasOwn(smsDeliveryRanks, value);

/** The statuses that mean the message did not reach the lead and never will. */
export const isSmsDeliveryFailure = (status: SmsDeliveryStatus) =>
  status === 'undelivered' || status === 'failed' || status === 'canceled';

/** What a status callback tells about one outbound text. */
export interface SmsDelivery {
  status: SmsDeliveryStatus;
  /** When the callback was received (providers do not timestamp every status). */
  at: string;
  /** Twilio's error code for a failure, e.g. 30006 (landline or unreachable carrier). */
  errorCode?: string;
}
