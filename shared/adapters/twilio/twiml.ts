// Only the TwiML builder (xmlbuilder): importing the root `twilio` package would bundle ~3.7 MB.

import type VoiceResponseType from 'twilio/lib/twiml/VoiceResponse.js';
import VoiceResponseModule from 'twilio/lib/twiml/VoiceResponse.js';

// The CommonJS class arrives as the module itself (node) or as its `default` (vitest's interop).
const VoiceResponse = ((VoiceResponseModule as unknown as { default?: typeof VoiceResponseType }).default ??
  VoiceResponseModule) as typeof VoiceResponseType;

/**
 * TwiML that rings `forwardTo` for `ringSeconds` with the caller's own caller id, and has Twilio
 * post how the dial ended (`DialCallStatus`) to `action`
 * (https://www.twilio.com/docs/voice/twiml/dial#action). `answerOnBridge` keeps the caller hearing
 * ringing until the business picks up, so an unanswered call sounds like one.
 */
export const forwardCallTwiml = (options: {
  forwardTo: string;
  ringSeconds: number;
  action: string;
}): string => {
  const response = new VoiceResponse();
  const dial = response.dial({
    action: options.action,
    method: 'POST',
    timeout: options.ringSeconds,
    answerOnBridge: true,
  });
  dial.number(options.forwardTo);
  return response.toString();
};

/** TwiML that says `words` (if any) and hangs up. */
export const hangUpTwiml = (words?: string): string => {
  const response = new VoiceResponse();
  if (words) response.say(words);
  response.hangup();
  return response.toString();
};
