/**
 * Names of the custom args every email we send through SendGrid carries. SendGrid copies custom
 * args onto each Event Webhook event as top-level fields, so a delivery event names the lead and
 * our message without a lookup. SendGrid keeps custom args as non-personal data: ids only, never
 * an address. (twilio.com/docs/sendgrid/for-developers/sending-email/custom-arguments)
 *
 * A module of its own so the event webhook imports the names without the SendGrid SDK.
 */
export const CUSTOM_ARG_LEAD_ID = 'leadline_lead_id';
export const CUSTOM_ARG_MESSAGE_ID = 'leadline_message_id';
