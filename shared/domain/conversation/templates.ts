import * as z from 'zod';
import en from './templates/en.json' with { type: 'json' };
import es from './templates/es.json' with { type: 'json' };

/**
 * The words of the texts Leadline starts itself (a missed-call text-back, follow-ups, meeting
 * reminders), per language, as data (`templates/<language>.json`). A business overrides any line
 * in its profile (`conversationTemplates`); another language gets English.
 */
const line = z.string().min(1);

export const ConversationTemplates = z.object({
  about: z.string().optional(),
  hiName: line,
  hi: line,
  missedCall: line,
  followUpSlots: line,
  followUpLink: line,
  followUpDetails: line,
  /** A later step's words for the same place, so two follow-ups never read the same. */
  followUpDetailsAgain: line,
  followUpQualified: line,
  followUpQualifiedAgain: line,
  followUpMissedCall: line,
  followUpLast: line,
  topicDefault: line,
  reminderDayBefore: line,
  reminderHourBefore: line,
  noShow: line,
  afterMeeting: line,
});
export type ConversationTemplates = z.infer<typeof ConversationTemplates>;
export type ConversationLine = Exclude<keyof ConversationTemplates, 'about'>;

/** The profile's own wording, per ISO 639-1 language: any line, e.g. `{ en: { missedCall: '…' } }`. */
export const ConversationTemplateOverrides = z.record(
  z.string().regex(/^[a-z]{2}$/, 'expected an ISO 639-1 language code such as en'),
  ConversationTemplates.partial(),
);
export type ConversationTemplateOverrides = z.infer<typeof ConversationTemplateOverrides>;

const TEMPLATES: Readonly<Record<string, ConversationTemplates>> = {
  en: ConversationTemplates.parse(en),
  es: ConversationTemplates.parse(es),
};

/**
 * One line in the lead's language (English when there are no templates in it), the business's
 * wording first, with `{placeholders}` filled; a placeholder with no value is left out.
 */
export const conversationText = (
  key: ConversationLine,
  values: Readonly<Record<string, string | undefined>>,
  options: { language?: string | undefined; overrides?: ConversationTemplateOverrides | undefined },
): string => {
  const language = options.language && TEMPLATES[options.language] ? options.language : 'en';
  const lines = { ...TEMPLATES[language], ...options.overrides?.[language] } as ConversationTemplates;
  const hi = values.name ? lines.hiName.replace('{name}', values.name) : lines.hi;
  return lines[key]
    .replace(/\{(\w+)\}/g, (_, name: string) => (name === 'hi' ? hi : (values[name] ?? '')))
    .replace(/\s+([,.:;!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
};
