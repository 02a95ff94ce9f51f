import { headerValue } from './parse-inbound-email.ts';

const SYSTEM_SENDERS =
  /^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|notifications?)(?:[+.-].*)?@/i;
const AUTOMATIC_SUBJECTS =
  /^(?:automatic reply|auto(?:matic)?[- ]?reply|auto:|out of (?:the )?office|ooo\b|undeliverable|undelivered mail|delivery status notification|mail delivery (?:failed|failure)|returned mail)/i;

/**
 * Whether an inbound email was written by a machine (an out-of-office, a bounce, a list mailer).
 * Answering one risks a mail loop with the other side's autoresponder, so such mail is recorded
 * but never answered (RFC 3834 §2 and §5: Auto-Submitted, and the Precedence convention).
 */
export const isAutomatedMail = (mail: { headers: string; from: string; subject: string }): boolean => {
  const autoSubmitted = headerValue(mail.headers, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (headerValue(mail.headers, 'x-autoreply') || headerValue(mail.headers, 'x-autorespond')) return true;
  if (/^(?:bulk|junk|list|auto_reply)$/i.test(headerValue(mail.headers, 'precedence') ?? '')) return true;
  if (SYSTEM_SENDERS.test(mail.from)) return true;
  return AUTOMATIC_SUBJECTS.test(mail.subject.trim());
};
