import { SegmentedMessage } from 'sms-segments-calculator';

/**
 * Text for an SMS, and what it costs. Twilio's own calculator (`sms-segments-calculator`, from
 * TwilioDevEd/message-segment-calculator) decides both, so counts match Twilio's bills:
 * one character outside GSM-7 turns the whole message into UCS-2 (70 characters a segment, 67
 * when split, against 160/153), an escape pair or a surrogate pair never straddles two segments.
 */

/** Whether every character of `text` is in the GSM 03.38 alphabet (with its extension table). */
export function isGsm7(text: string): boolean {
  return new SegmentedMessage(text).getNonGsmCharacters().length === 0;
}

/**
 * Printable ASCII but the backtick: Smart Encoding changes none of it (the calculator's
 * `SmartEncodingMap` holds, of ASCII, only the backtick and control characters).
 */
const UNCHANGED_BY_SMART_ENCODING = /^[\x20-\x5F\x61-\x7E]*$/;

/**
 * The text with the replacements that keep its meaning (curly quotes → straight, dashes → `-`,
 * `…` → `...`, `½` → `1/2`, full-width forms → ASCII: Twilio's Smart Encoding table), and nothing
 * dropped: a name in 张伟 or محمد, an emoji or `₹` stays, and the message is sent as UCS-2.
 * Runs of spaces left by replaced spaces and tabs are closed up.
 */
export function toSmsText(text: string): string {
  // Nearly every reply: nothing to replace, and no need to split it into graphemes to know it.
  if (UNCHANGED_BY_SMART_ENCODING.test(text)) return text.replace(/ {2,}/g, ' ');
  const smart = new SegmentedMessage(text, 'auto', true).graphemes.join('');
  return smart.replace(/\t/g, ' ').replace(/ {2,}/g, ' ');
}

/** How many segments Twilio bills for `text` (an empty text is one). */
export function smsSegments(text: string): number {
  return text.length === 0 ? 1 : new SegmentedMessage(text).segmentsCount;
}
