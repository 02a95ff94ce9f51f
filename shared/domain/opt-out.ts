import {
  type ConsentChannel,
  type ConsentKeyword,
  decideConsentKeyword,
} from '#shared/compliance/consent-keywords.ts';

export type KeywordClass = ConsentKeyword;

/**
 * What a text asks of our texting: to stop, to start again, or for help; null for anything
 * else. The rules live in `shared/compliance/consent-keywords.ts` (data in
 * `shared/compliance/data/consent-keywords.json`); this reads a message as a text (SMS).
 */
export function classifyKeyword(body: string): KeywordClass | null {
  return decideConsentKeyword(body, { channel: 'sms' });
}

/** Twilio's Advanced Opt-Out classification, when the webhook carries it, is authoritative. */
const keywordFromOptOutType = { STOP: 'opt_out', START: 'opt_in', HELP: 'help' } as const;

/**
 * The consent keyword an inbound message carries, decided by rules alone (pure, synchronous, no
 * I/O), so a webhook can put an opt-out in force before it answers and `qualify` decides the
 * same: Twilio's `OptOutType` first, then `decideConsentKeyword` over the body and, for an email,
 * its subject (read as its channel: a mailing's footer is not an opt-out). Automatic mail carries
 * none. A message without `channel` is read as a text.
 */
export function consentKeyword(message: {
  body: string;
  subject?: string | undefined;
  channel?: ConsentChannel | undefined;
  optOutType?: 'STOP' | 'START' | 'HELP' | undefined;
  automated?: boolean | undefined;
}): KeywordClass | null {
  if (message.automated) return null;
  if (message.optOutType) return keywordFromOptOutType[message.optOutType];
  return decideConsentKeyword(message.body, { channel: message.channel ?? 'sms', subject: message.subject });
}
