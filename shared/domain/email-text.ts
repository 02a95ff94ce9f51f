import { htmlToText } from './mail/html-text.ts';
import { FORWARD_SUBJECT, stripReply } from './mail/reply-text.ts';

export { htmlToText } from './mail/html-text.ts';

/** Bounds the work spent on one email; a lead's own words never need more. */
const MAX_INPUT_CHARS = 100_000;

/**
 * The lead's own words from an inbound email: the reply without the quoted history below it
 * (in any of the languages in `mail/quote-vocabulary.ts`) and without the signature; a request
 * the lead forwarded is kept without its header block. Prefers the text part; falls back to the
 * HTML part, read by an HTML parser. Never throws.
 *
 * @param args.subject the mail's subject: "Fwd:"/"WG:"/"TR:"… marks the quoted message as the request
 */
export function extractLeadText(args: {
  text?: string | undefined;
  html?: string | undefined;
  subject?: string | undefined;
}): string {
  try {
    const plain = args.text?.trim() ? args.text : args.html ? htmlToText(args.html) : '';
    const normalised = plain
      .slice(0, MAX_INPUT_CHARS)
      .replace(/\r\n?/g, '\n')
      .replace(/[\u00a0\u202f]/g, ' ')
      .replace(/\u200b|\ufeff/g, '');
    return stripReply(normalised, { forwarded: FORWARD_SUBJECT.test(args.subject ?? '') });
  } catch {
    return '';
  }
}
