// Only the TwiML builder (xmlbuilder): importing the root `twilio` package would bundle ~3.7 MB.

import type MessagingResponseType from 'twilio/lib/twiml/MessagingResponse.js';
import MessagingResponseModule from 'twilio/lib/twiml/MessagingResponse.js';

// The CommonJS class arrives as the module itself (node) or as its `default` (vitest's interop).
const MessagingResponse = ((MessagingResponseModule as unknown as { default?: typeof MessagingResponseType })
  .default ?? MessagingResponseModule) as typeof MessagingResponseType;

/**
 * TwiML that answers an incoming text with `text` (https://www.twilio.com/docs/messaging/twiml/message):
 * Twilio sends it back to the sender from the number texted, with no API call of ours.
 */
export const replyTwiml = (text: string): string => {
  const response = new MessagingResponse();
  response.message(text);
  return response.toString();
};
