import * as z from 'zod';
import { isValidTimeZone } from '#shared/domain/time.ts';

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
});
export type Rep = z.infer<typeof Rep>;

export const Service = z.object({
  name: z.string().min(1),
  /** Words that tell the rules qualifier a message is about this service. */
  keywords: z.array(z.string().min(1)).default([]),
  /** Typical price, said in replies when a lead asks ("from $89"). */
  priceHint: z.string().optional(),
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
   * Rep alerts that may text a rep outside their `notifyHours`: `hot-lead`, `meeting-booked`, or
   * `urgent-lead` (a hot lead who needs it today). None by default.
   */
  urgentRepAlerts: z.array(z.enum(['hot-lead', 'meeting-booked', 'urgent-lead'])).default([]),
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
    },
    {
      name: 'Water heater',
      keywords: ['water heater', 'hot water', 'tankless', 'boiler'],
      priceHint: 'installs from $1,200',
    },
    {
      name: 'Leak repair',
      keywords: ['leak', 'leaking', 'drip', 'burst', 'pipe', 'flood'],
      priceHint: 'from $149',
    },
    { name: 'Bathroom remodel', keywords: ['remodel', 'renovation', 'bathroom', 'shower', 'tub'] },
  ],
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
