import type { BusinessProfile } from '#shared/config/business-profile.ts';
import guard from './reply/draft-guard.json' with { type: 'json' };
import { describeHours, FIRST_SMS_MAX_CHARS, type ReplyKind, SMS_OPT_OUT_FOOTER } from './reply.ts';
import { toSmsText } from './sms-text.ts';
import { foldAccents } from './understanding/fold.ts';

/**
 * Reply drafting by a model, the parts that need no model: the business facts a draft may use,
 * and the checks a draft passes before it replaces the template. A draft that fails any check
 * is not sent; the template is.
 */

/** The purposes a model may word: the free-text answers, never slots, bookings or keyword confirmations. */
export const DRAFTABLE_KINDS: ReadonlySet<ReplyKind> = new Set(['first-reply', 'follow-up-reply']);

/** Longest drafted email body: a reply a lead reads on a phone. */
export const EMAIL_DRAFT_MAX_CHARS = 1_200;

/** One fact about the business a draft may state; `id` is what the model names when it uses it. */
export interface BusinessFact {
  id: string;
  text: string;
}

/** What the business says about itself, as numbered-by-id facts: services, prices, hours, area, meetings. */
export function businessFacts(profile: BusinessProfile): BusinessFact[] {
  const facts: BusinessFact[] = [];
  for (const service of profile.services) {
    facts.push({ id: `service:${service.name}`, text: `Offers ${service.name}` });
    if (service.priceHint) {
      facts.push({ id: `price:${service.name}`, text: `${service.name} price: ${service.priceHint}` });
    }
  }
  facts.push({ id: 'hours', text: `Open ${describeHours(profile.hours, profile.timeZone)}` });
  const places = profile.serviceArea.places;
  facts.push({
    id: 'area',
    text: `Serves ${profile.serviceArea.description}${places.length > 0 ? ` (${places.join(', ')})` : ''}`,
  });
  facts.push({
    id: 'meeting',
    text: `Can set up a ${profile.meeting.durationMinutes}-minute ${profile.meeting.kind}`,
  });
  return facts;
}

/**
 * The most characters a drafted body may take. A first text must still fit two segments once
 * the composer appends the opt-out footer (in the reply's language) and the space before it.
 */
export function draftMaxChars(
  kind: ReplyKind,
  channel: 'sms' | 'email',
  footer: string = SMS_OPT_OUT_FOOTER,
): number {
  if (channel === 'email') return EMAIL_DRAFT_MAX_CHARS;
  return kind === 'first-reply' ? FIRST_SMS_MAX_CHARS - footer.length - 1 : FIRST_SMS_MAX_CHARS;
}

/** What a draft may never say on its own (`reply/draft-guard.json`), each with why, for the log. */
const GUARDS = (
  [
    ['agreement', 'the draft agrees to a price or a deal'],
    ['free', 'the draft offers free or discounted work'],
    ['amountInWords', 'the draft states an amount of money in words'],
    ['commitment', 'the draft makes a commitment only the business can make'],
  ] as const
).map(([key, reason]) => ({
  reason,
  patterns: guard[key].patterns.map((source) => new RegExp(source, 'giu')),
}));

export type DraftCheck = { ok: true; text: string } | { ok: false; reason: string };

// "$129", "$1,200.50", "USD 90", "90 dollars", "$2k".
const AMOUNT =
  /(?:\$|\busd\s?)\s?(\d[\d,]*(?:\.\d+)?)(\s?k\b)?|\b(\d[\d,]*(?:\.\d+)?)(\s?k)?\s?(?:dollars?|bucks|usd)\b/gi;
const PERCENT = /\b(\d+(?:\.\d+)?)\s?(?:%|percent\b)/gi;
// Offers nobody can make up: a discount or free work is the business's to give.
const OFFER_WORDS =
  /\b(?:discounts?|discounted|coupons?|promo(?:tion)?s?|promo codes?|free of charge|for free|no charge|complimentary|waived?)\b/gi;
const URL_LIKE =
  /\bhttps?:\/\/\S+|\bwww\.\S+|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b(?:\/\S*)?/gi;
// Seven digits or more, with the usual separators: a phone number in any common notation.
const PHONE_LIKE = /\+?\d(?:[\s().-]*\d){6,}/g;

const amountsIn = (text: string): Set<number> => {
  const amounts = new Set<number>();
  for (const match of text.matchAll(AMOUNT)) {
    const digits = match[1] ?? match[3];
    if (digits === undefined) continue;
    const thousands = (match[2] ?? match[4]) !== undefined ? 1000 : 1;
    amounts.add(Number(digits.replaceAll(',', '')) * thousands);
  }
  return amounts;
};

const percentagesIn = (text: string): Set<number> =>
  new Set([...text.matchAll(PERCENT)].map((match) => Number(match[1])));

const matchesOf = (text: string, pattern: RegExp): string[] =>
  [...text.matchAll(pattern)].map((match) => match[0].toLowerCase().replace(/[.,;:!?)]+$/, ''));

const phoneDigits = (text: string): Set<string> =>
  new Set(
    [...text.matchAll(PHONE_LIKE)].map((match) => match[0].replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '')),
  );

/**
 * Checks a drafted body before it is sent: it fits the channel, and it states no price, offer,
 * link or phone number the business profile does not. For SMS it is normalised as `toSmsText` does first
 * (what the lead would receive), and that normalised text is what passes.
 */
export function checkDraft(
  draft: { text: string; factsUsed: ReadonlyArray<string> },
  context: { kind: ReplyKind; channel: 'sms' | 'email'; profile: BusinessProfile; footer?: string },
): DraftCheck {
  const { profile, channel } = context;
  const text = channel === 'sms' ? toSmsText(draft.text.replace(/\s+/g, ' ')).trim() : draft.text.trim();
  if (text.length === 0) return { ok: false, reason: 'the draft is empty' };
  const max = draftMaxChars(context.kind, channel, context.footer);
  if (text.length > max)
    return { ok: false, reason: `the draft has ${text.length} characters; at most ${max}` };

  // Prices may come only from the price hints of the services the model says it used.
  const used = new Set(draft.factsUsed);
  const hints = profile.services
    .filter((service) => service.priceHint && used.has(`price:${service.name}`))
    .map((service) => service.priceHint ?? '')
    .join(' ');
  const allowedAmounts = amountsIn(hints);
  const invented = [...amountsIn(text)].filter((amount) => !allowedAmounts.has(amount));
  if (invented.length > 0) return { ok: false, reason: 'the draft states a price the profile does not' };
  const allowedPercentages = percentagesIn(hints);
  if ([...percentagesIn(text)].some((percent) => !allowedPercentages.has(percent))) {
    return { ok: false, reason: 'the draft states a percentage the profile does not' };
  }

  const profileText = JSON.stringify(profile).toLowerCase();
  if (matchesOf(text, OFFER_WORDS).some((word) => !profileText.includes(word))) {
    return { ok: false, reason: 'the draft makes an offer the profile does not' };
  }
  // Agreement, free work, money in words, commitments: in any language the guard knows, unless
  // the business's own profile says the same words ("free estimates").
  const folded = foldAccents(text.toLowerCase().replace(/[’‘]/g, "'"));
  const foldedProfile = foldAccents(profileText);
  for (const { reason, patterns } of GUARDS) {
    const said = patterns.flatMap((pattern) => [...folded.matchAll(pattern)].map((match) => match[0].trim()));
    if (said.some((words) => !foldedProfile.includes(words))) return { ok: false, reason };
  }
  if (matchesOf(text, URL_LIKE).some((url) => !profileText.includes(url))) {
    return { ok: false, reason: 'the draft contains a link or address the profile does not' };
  }
  const allowedPhones = phoneDigits(JSON.stringify(profile));
  if ([...phoneDigits(text)].some((digits) => !allowedPhones.has(digits))) {
    return { ok: false, reason: 'the draft contains a phone number the profile does not' };
  }
  return { ok: true, text };
}
