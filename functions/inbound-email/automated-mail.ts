import {
  AUTOMATIC_HEADERS,
  AUTOMATIC_PRECEDENCE,
  AUTOMATIC_SUBJECTS,
  SYSTEM_SENDER_WORDS,
} from '#shared/domain/mail/automatic-mail-signals.ts';
import { headerValue } from './parse-inbound-email.ts';

const words = (phrase: string) => phrase.split(' ').join('[-_.]?');
const SYSTEM_SENDER = new RegExp(`^(?:${SYSTEM_SENDER_WORDS.map(words).join('|')})(?:[+.\\-_].*)?@`, 'i');
/** A subject opening, after any number of "Re:"/"AW:"/"RE :" prefixes. */
const AUTOMATIC_SUBJECT = new RegExp(
  `^(?:(?:re|aw|sv|vs|antw|réf|rif)\\s*:\\s*)*(?:${AUTOMATIC_SUBJECTS.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?=\\W|$)`,
  'iu',
);

/**
 * Whether an inbound email was written by a machine (an out-of-office, a bounce, a shop's
 * no-reply robot, a list mailer). Answering one risks a loop with the other side's robot, so such
 * mail is recorded but never answered (RFC 3834 §2 and §5). The signals are data
 * (`automatic-mail-signals.ts`); a daily cap on automatic answers per address (the messenger's
 * send policy) stops any robot these miss.
 */
export const isAutomatedMail = (mail: { headers: string; from: string; subject: string }): boolean => {
  const autoSubmitted = headerValue(mail.headers, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (AUTOMATIC_HEADERS.some((name) => headerValue(mail.headers, name) !== undefined)) return true;
  const precedence = headerValue(mail.headers, 'precedence')?.toLowerCase() ?? '';
  if (AUTOMATIC_PRECEDENCE.includes(precedence)) return true;
  if (SYSTEM_SENDER.test(mail.from)) return true;
  return AUTOMATIC_SUBJECT.test(mail.subject.trim());
};
