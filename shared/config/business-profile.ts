import * as z from 'zod';
import { ConversationTemplateOverrides } from '#shared/domain/conversation/templates.ts';
import { ReplyTemplateOverrides } from '#shared/domain/reply/templates.ts';
import { isValidTimeZone } from '#shared/domain/time.ts';

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +15125550100');
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24h)');
const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export const Rep = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** How this rep wants to hear about hot leads and meetings. */
  notifyVia: z.enum(['slack', 'email', 'sms']),
  email: z.email().optional(),
  phone: z.string().optional(),
  slackChannel: z.string().optional(),
  /**
   * The rep's Slack member id (Profile → Copy member ID), to @-mention them: an incoming webhook
   * posts to the one channel it was made for, so the mention is what reaches the rep.
   */
  slackUserId: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack member id such as U0123ABCD')
    .optional(),
  /** Services this rep handles (by service name); empty means all. */
  services: z.array(z.string()).default([]),
  /**
   * When this rep takes notifications by SMS, in `timeZone`: outside it they wait for the next
   * start, unless the business marks the alert urgent (`urgentRepAlerts`). Default: none at night.
   */
  notifyHours: z.object({ start: Time, end: Time }).default({ start: '08:00', end: '21:00' }),
  /** The rep's IANA time zone; the business's when absent. */
  timeZone: z
    .string()
    .refine(isValidTimeZone, 'expected an IANA time zone such as America/Chicago')
    .optional(),
  /**
   * Towns or ZIP codes this rep covers (as the lead names them: `Round Rock`, `78664`); empty means
   * everywhere. A hot lead goes to a rep whose territory names the lead's location first.
   */
  territory: z.array(z.string().min(1)).default([]),
  /** Share of the round-robin among equally suited reps: 2 takes twice as many leads as 1; 0 takes none. */
  weight: z.number().int().min(0).max(100).default(1),
  /** Days the rep takes leads (with `notifyHours`, in `timeZone`): on other days hot leads go to someone else. */
  workDays: z.array(Weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
});
export type Rep = z.infer<typeof Rep>;

/** Someone Leadline tells about a lead: a rep, or the manager (who takes no leads). */
export const Contactable = Rep.pick({
  name: true,
  notifyVia: true,
  email: true,
  phone: true,
  slackChannel: true,
  slackUserId: true,
  notifyHours: true,
  timeZone: true,
});

/** A text the business writes once, or once per language (`{ en: '…', es: '…' }`). */
export const Localized = z.union([
  z.string().min(1),
  z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1)),
]);
export type Localized = z.infer<typeof Localized>;

/** A localized text in a language: its own, else English, else the first given. */
export const inLanguage = (text: Localized, language: string): string =>
  typeof text === 'string' ? text : (text[language] ?? text.en ?? Object.values(text)[0] ?? '');

export const Service = z.object({
  name: z.string().min(1),
  /** Words that tell the rules qualifier a message is about this service. */
  keywords: z.array(z.string().min(1)).default([]),
  /** Typical price, said in replies when a lead asks ("from $89"). */
  priceHint: z.string().optional(),
  /** The name and price hint in other languages, for replies: `{ es: { name: 'Destape de drenajes' } }`. */
  translations: z
    .record(
      z.string().regex(/^[a-z]{2}$/, 'expected an ISO 639-1 language code such as es'),
      z.object({ name: z.string().min(1).optional(), priceHint: z.string().min(1).optional() }),
    )
    .default({}),
});
export type Service = z.infer<typeof Service>;

export const BusinessProfile = z.object({
  name: z.string().min(1),
  /** IANA time zone of the business, e.g. America/Chicago. */
  timeZone: z.string().refine(isValidTimeZone, 'expected an IANA time zone such as America/Chicago'),
  /** Opening hours, used for meeting slots and the reply's wording. */
  hours: z.object({ days: z.array(Weekday).min(1), open: Time, close: Time }),
  services: z.array(Service).min(1),
  serviceArea: z.object({
    description: z.string().min(1),
    /** Cities or ZIP codes served; a lead elsewhere scores lower. Empty means anywhere. */
    places: z.array(z.string().min(1)).default([]),
  }),
  /**
   * What the business says about its licence and insurance, answered when a lead asks; a text, or
   * one per language (`{ en: '…', es: '…' }`). Absent: the reply says the team will answer.
   */
  credentials: z.object({ licensed: Localized.optional(), insured: Localized.optional() }).default({}),
  /** The business's own wording of any reply line, per language (`shared/domain/reply/templates/`). */
  replyTemplates: ReplyTemplateOverrides.optional(),
  reps: z.array(Rep).min(1),
  meeting: z
    .object({
      durationMinutes: z.number().int().min(10).max(240).default(30),
      /** How many free slots a reply offers. */
      slotsOffered: z.number().int().min(1).max(5).default(3),
      /** How much notice a slot needs, in minutes. */
      minNoticeMinutes: z.number().int().min(0).default(120),
      kind: z.string().default('call'),
    })
    .default({ durationMinutes: 30, slotsOffered: 3, minNoticeMinutes: 120, kind: 'call' }),
  /** Quiet hours for texts, in the lead's time zone (47 CFR 64.1200(c)(1): 8am–9pm). */
  quietHours: z
    .object({
      start: Time.default('21:00'),
      end: Time.default('08:00'),
      /** strict: every text, even a direct reply, waits for the window. */
      strict: z.boolean().default(false),
      /**
       * A reply sent more than this many minutes after the lead's message (after retries or a
       * redrive) is no longer a live conversation: it follows the business-initiated rules.
       */
      liveReplyMinutes: z.number().int().min(0).max(1440).default(30),
    })
    .default({ start: '21:00', end: '08:00', strict: false, liveReplyMinutes: 30 }),
  /**
   * Rep alerts that may text a rep outside their `notifyHours`: `emergency` (water pouring, no
   * heat, a gas smell: on by default), `hot-lead`, `meeting-booked`, `meeting-cancelled`,
   * `meeting-moved`, `missed-call`, `response-missed` (the manager told a rep did not answer),
   * `lead-opted-out` (the rep told a lead they work opted out), `lead-taken` (the rep told another
   * rep took their lead over), or `urgent-lead` (a hot lead who needs it today).
   */
  urgentRepAlerts: z
    .array(
      z.enum([
        'emergency',
        'hot-lead',
        'meeting-booked',
        'meeting-cancelled',
        'meeting-moved',
        'urgent-lead',
        'missed-call',
        'response-missed',
        'lead-opted-out',
        'lead-taken',
      ]),
    )
    .default(['emergency']),
  /**
   * At most this many automatic answers to one address (phone or email) in 24 hours: the safety
   * net that stops two robots answering each other, however they are written.
   */
  automaticAnswersPerDay: z.number().int().min(1).max(100).default(10),
  /**
   * Missed-call text-back: calls to the business number (Twilio Voice webhook) ring `forwardTo`,
   * the business's own line, for `ringSeconds`; a call nobody answers gets a text back.
   * `textBackOncePerHours`: a caller texted back for a missed call gets no second text back for
   * another missed call within this many hours (the call is still on their timeline). 12 by
   * default: someone who rings twice in a morning is still waiting on the first apology, and a
   * second identical text reads as a robot; by the next day a new call is a new matter.
   */
  missedCalls: z
    .object({
      forwardTo: E164.optional(),
      ringSeconds: z.number().int().min(5).max(120).default(20),
      textBackOncePerHours: z.number().min(0).max(168).default(12),
    })
    .default({ ringSeconds: 20, textBackOncePerHours: 12 }),
  /**
   * Follow-ups to a lead who stops answering: one step per entry, each after the one before (the
   * first after the last text the lead did not answer): `30m`, `1h`, `3d` or `next-morning` (the
   * next business day at opening time). At most 6; `[]` turns them off. Each goes inside business
   * hours and the calling windows; any reply, booking, opt-out or rep takeover ends the rest.
   */
  followUps: z
    .object({
      cadence: z
        .array(z.string().regex(/^(\d{1,4}[mhd]|next-morning)$/, 'expected 30m, 1h, 3d or next-morning'))
        .max(6)
        .default(['1h', 'next-morning', '3d']),
    })
    .default({ cadence: ['1h', 'next-morning', '3d'] }),
  /** Meeting reminders (in the lead's time) and the message after the meeting (a no-show one when the rep says so). */
  reminders: z
    .object({
      dayBefore: z.boolean().default(true),
      hourBefore: z.boolean().default(true),
      /** Minutes after the meeting's end for "how did it go" (or the no-show follow-up); 0 turns it off. */
      afterMeetingMinutes: z.number().int().min(0).max(1440).default(60),
    })
    .default({ dayBefore: true, hourBefore: true, afterMeetingMinutes: 60 }),
  /**
   * Rep routing with a response clock: a hot lead (or an emergency) goes to a rep by service and
   * territory, weighted round-robin among those on duty; the rep acknowledges by texting OK (or
   * TAKE, to take the conversation over) to the business number within `responseMinutes`, or the
   * lead goes to the next rep and `manager` is told. `responseMinutes: 0` turns the clock off.
   */
  routing: z
    .object({
      responseMinutes: z.number().int().min(0).max(240).default(5),
      manager: Contactable.optional(),
    })
    .default({ responseMinutes: 5 }),
  /** Texts Leadline starts itself (missed-call text-back, follow-ups, reminders), per language. */
  conversationTemplates: ConversationTemplateOverrides.optional(),
  /** WhatsApp through Twilio (`shared/messaging/whatsapp-window.ts`). */
  whatsapp: z
    .object({
      /**
       * Approved message templates (Twilio Content API `HX…` sids) by what the message is for
       * (`first-reply`, `slots-offered`, … or `default`): the only messages WhatsApp delivers
       * outside the 24-hour customer-service window. `{{1}}` is filled with the lead's first name.
       */
      templates: z
        .record(
          z.string(),
          z.object({ contentSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'expected a Content SID (HX…)') }),
        )
        .default({}),
    })
    .default({ templates: {} }),
});
export type BusinessProfile = z.infer<typeof BusinessProfile>;
export type BusinessProfileInput = z.input<typeof BusinessProfile>;

/** The demo business `npm start` runs with when no profile is configured. */
export const demoBusinessProfile: BusinessProfileInput = {
  name: 'Brightside Plumbing',
  timeZone: 'America/Chicago',
  hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], open: '08:00', close: '18:00' },
  services: [
    {
      name: 'Drain cleaning',
      keywords: ['drain', 'clog', 'clogged', 'backed up', 'slow drain', 'sewer'],
      priceHint: 'from $129',
      translations: { es: { name: 'Destape de drenajes', priceHint: 'desde $129' } },
    },
    {
      name: 'Water heater',
      keywords: ['water heater', 'hot water', 'tankless', 'boiler'],
      priceHint: 'installs from $1,200',
      translations: { es: { name: 'Calentadores de agua', priceHint: 'instalación desde $1,200' } },
    },
    {
      name: 'Leak repair',
      keywords: ['leak', 'leaking', 'drip', 'burst', 'pipe', 'flood'],
      priceHint: 'from $149',
      translations: { es: { name: 'Reparación de fugas', priceHint: 'desde $149' } },
    },
    {
      name: 'Bathroom remodel',
      keywords: ['remodel', 'renovation', 'bathroom', 'shower', 'tub'],
      translations: { es: { name: 'Remodelación de baños' } },
    },
  ],
  credentials: {
    licensed: {
      en: 'Yes, we are licensed by the Texas State Board of Plumbing Examiners',
      es: 'Sí, tenemos licencia de la Texas State Board of Plumbing Examiners',
    },
    insured: {
      en: 'We carry full liability insurance',
      es: 'Tenemos seguro de responsabilidad civil completo',
    },
  },
  serviceArea: {
    description: 'Austin, TX and surrounding towns',
    places: ['Austin', 'Round Rock', 'Cedar Park', 'Pflugerville', 'Georgetown', 'Leander', 'Buda', 'Kyle'],
  },
  reps: [
    {
      id: 'rep-dana',
      name: 'Dana Ortiz',
      notifyVia: 'slack',
      slackChannel: '#leads',
      email: 'dana@brightside.example',
      services: [],
    },
  ],
};
