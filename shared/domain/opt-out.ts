import { type ConsentKeyword, decideConsentKeyword } from '#shared/compliance/consent-keywords.ts';

export type KeywordClass = ConsentKeyword;

/**
 * What a text asks of our texting: to stop, to start again, or for help; null for anything
 * else. The rules live in `shared/compliance/consent-keywords.ts` (data in
 * `shared/compliance/data/consent-keywords.json`); this reads a message as a text (SMS).
 */
export function classifyKeyword(body: string): KeywordClass | null {
  return decideConsentKeyword(body, { channel: 'sms' });
}
