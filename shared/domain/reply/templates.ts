import * as z from 'zod';
import en from './templates/en.json' with { type: 'json' };
import es from './templates/es.json' with { type: 'json' };

/**
 * The words of every reply, per language, as data (`templates/<language>.json`). A business
 * overrides any line in its profile (`replyTemplates`); a lead writing in a language without
 * templates gets English (with a model, the drafter answers in the lead's language).
 */

const Question = z.object({ alone: z.string().min(1), joined: z.string().min(1) });
const SUBJECT_KINDS = [
  'first-reply',
  'follow-up-reply',
  'slots-offered',
  'slot-taken',
  'meeting-booked',
  'meeting-cancelled',
  'meeting-moved',
  'opt-out-confirmation',
  'opt-in-confirmation',
  'help',
] as const;

const line = z.string().min(1);

export const ReplyTemplates = z.object({
  about: z.string().optional(),
  locale: line,
  days: z.object({ mon: line, tue: line, wed: line, thu: line, fri: line, sat: line, sun: line }),
  /** The profile's meeting kind ("call", "visit") in this language; `meetingKindOther` for any other. */
  meetingKinds: z.record(z.string(), line),
  meetingKindOther: line,
  greeting: line,
  hello: line,
  signOff: line,
  thanksFirst: line,
  thanksFollowUp: line,
  service: line,
  servicePrice: line,
  serviceQuote: line,
  priceDepends: line,
  hours: line,
  areaServed: line,
  areaInside: line,
  areaOutside: line,
  areaOutsideShort: line,
  askTeam: line,
  emergency: line,
  emergencyNoPhone: line,
  urgent: line,
  teamWillCall: line,
  offerMeeting: line,
  slotsIntro: line,
  slotsShortIntro: line,
  linkIntro: line,
  chooseOne: line,
  chooseMany: line,
  chooseOneEmail: line,
  chooseManyEmail: line,
  questions: z.object({
    need: Question,
    location: Question,
    timing: Question,
    name: Question,
    email: Question,
  }),
  askTwo: line,
  slotsOffered: line,
  slotsOfferedLink: line,
  slotsNone: line,
  slotTaken: line,
  slotTakenIntro: line,
  slotTakenLink: line,
  slotTakenNone: line,
  booked: line,
  bookedNoTime: line,
  bookedChange: line,
  cancelled: line,
  cancelledNext: line,
  moved: line,
  movedIntro: line,
  movedLink: line,
  movedNone: line,
  optOutSms: line,
  optOutEmail: line,
  optInSms: line,
  optInEmail: line,
  help: line,
  smsFooter: line,
  subjects: z.object(
    Object.fromEntries(SUBJECT_KINDS.map((kind) => [kind, line])) as Record<
      (typeof SUBJECT_KINDS)[number],
      typeof line
    >,
  ),
});
export type ReplyTemplates = z.infer<typeof ReplyTemplates>;

/** What a business may override in its profile: any line of any language, the rest stays. */
export const ReplyTemplateOverrides = z.record(
  z.string().regex(/^[a-z]{2}$/, 'expected an ISO 639-1 language code such as es'),
  z.record(z.string(), z.unknown()),
);
export type ReplyTemplateOverrides = z.infer<typeof ReplyTemplateOverrides>;

/** Languages with templates of their own; checked against the schema when the module loads. */
export const TEMPLATES: Readonly<Record<string, ReplyTemplates>> = {
  en: ReplyTemplates.parse(en),
  es: ReplyTemplates.parse(es),
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const deepMerge = (base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> => {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isRecord(current) && isRecord(value) ? deepMerge(current, value) : value;
  }
  return merged;
};

const cache = new WeakMap<object, Map<string, ReplyTemplates>>();

/**
 * The templates for a language with the business's overrides applied: the language's own when it
 * has them, else English. Throws (naming the line) when an override breaks the schema.
 */
export const templatesFor = (
  language: string | undefined,
  overrides?: ReplyTemplateOverrides,
): ReplyTemplates => {
  const code = language && TEMPLATES[language] ? language : 'en';
  const base = TEMPLATES[code] as ReplyTemplates;
  const own = overrides?.[code];
  if (!overrides || !own) return base;
  let perProfile = cache.get(overrides);
  if (!perProfile) {
    perProfile = new Map();
    cache.set(overrides, perProfile);
  }
  const known = perProfile.get(code);
  if (known) return known;
  const merged = ReplyTemplates.parse(deepMerge(base, own));
  perProfile.set(code, merged);
  return merged;
};

/** The language a reply is written in: the lead's when there are templates for it, else English. */
export const replyLanguage = (language: string | undefined): string =>
  language && TEMPLATES[language] ? language : 'en';

/** Fills `{placeholders}`; a placeholder with no value is left out. */
export const fill = (template: string, values: Readonly<Record<string, string | undefined>>): string =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '').replace(/\s{2,}/g, ' ');

/** The profile's meeting kind in the templates' language ("call" → "llamada"). */
export const meetingKindIn = (templates: ReplyTemplates, kind: string): string =>
  templates.meetingKinds[kind.toLowerCase()] ?? fill(templates.meetingKindOther, { kind });

/**
 * Whether a text we sent asked the lead if they want a meeting (`offerMeeting`, any language):
 * then a bare "yes" answers it.
 */
export const askedToSetUpMeeting = (sent: string): boolean =>
  Object.values(TEMPLATES).some((templates) => {
    const [before] = templates.offerMeeting.split('{kind}');
    return before !== undefined && before.length > 8 && sent.includes(before.trim());
  });
