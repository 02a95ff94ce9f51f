import patterns from './data/not-a-lead.json' with { type: 'json' };

/** Messages that are not a lead: spam, and messages meant for someone else (`data/not-a-lead.json`). */

const SPAM = patterns.spam.map((source) => new RegExp(source, 'i'));
const WRONG_NUMBER = patterns.wrongNumber.map((source) => new RegExp(source, 'i'));
const LINK = /\b(?:https?:\/\/|www\.)\S+|\b(?:bit\.ly|tinyurl\.com|t\.co)\/\S+/gi;

/** Spam: two hits, or one with a link or with no service named, or a bare link. */
export const isSpam = (text: string, service: string | null): boolean => {
  const hits = SPAM.filter((pattern) => pattern.test(text)).length;
  const links = text.match(LINK) ?? [];
  const wordsBesideLinks = text.replace(LINK, ' ').trim().split(/\s+/).filter(Boolean).length;
  if (links.length > 0 && wordsBesideLinks <= 1) return true;
  if (hits >= 2) return true;
  return hits >= 1 && (links.length > 0 || service === null);
};

/** A message for someone else: one hit and no service named. */
export const isWrongNumber = (text: string, service: string | null): boolean =>
  service === null && WRONG_NUMBER.some((pattern) => pattern.test(text));
