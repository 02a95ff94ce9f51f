import {
  BookingPageEventReceived,
  CallMissed,
  ConversationStageChanged,
  FollowUpDue,
  HelpRequested,
  LeadMessageReceived,
  LeadOptedIn,
  LeadOptedOut,
  LeadQualified,
  LeadRouted,
  LeadScored,
  MeetingBooked,
  MeetingCancelled,
  MeetingNoShowReported,
  MeetingReminderDue,
  MeetingSlotsOffered,
  MissedCallHandled,
  ReplySent,
  RepMessageReceived,
  RepNotified,
  RepResponded,
  RepResponseDue,
  RepResponseMissed,
} from '#events/catalog.ts';
import { Source } from '#events/envelope.ts';
import type { SecretGroup } from '#shared/config/secrets.ts';

/**
 * The pipeline topology as data (ARCHITECTURE.md, "Decisions"). `infra/` turns each subscriber into a rule,
 * a queue with its DLQ and a function; the local runtime turns each into an in-process
 * subscription with the same pattern and queue semantics. Adding a function means one entry
 * here and one folder in `functions/`.
 */

/** An EventBridge event pattern (content filtering subset the topology uses). */
export type EventPattern = { [key: string]: unknown };

export interface Subscriber {
  /** Also the folder under `functions/` and the queue's name. */
  readonly name: string;
  readonly description: string;
  readonly pattern: EventPattern;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Receives before a message goes to the dead-letter queue (AWS recommends at least 5). */
  readonly maxReceiveCount: number;
  /** Lambda's SQS maximum concurrency (2–1000). */
  readonly maxConcurrency: number;
  /** Provider secrets this function may read (`shared/config/secrets.ts`); nothing else is granted. */
  readonly secrets: readonly SecretGroup[];
}

export interface Webhook {
  readonly name: string;
  readonly method: 'POST';
  readonly path: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly secrets: readonly SecretGroup[];
}

const types = (...events: ReadonlyArray<{ detailType: string }>) => events.map((e) => e.detailType);

/**
 * The reply path (webhook → qualify → score → auto-respond, calendar for a meeting): what a lead
 * waits for. README, "Speed to lead": one vCPU each (1,769 MB: a cold start's imports run at full
 * speed instead of a 512 MB function's 29% of a vCPU), one record per invocation (a record never
 * waits behind another lead's in its batch: with a model, 800 ms each), no batching window, and
 * room for bursts.
 */
const replyPath = {
  memoryMb: 1769,
  batchSize: 1,
  maxBatchingWindowSeconds: 0,
  maxConcurrency: 20,
} as const;

export const webhooks: readonly Webhook[] = [
  {
    name: 'inbound-sms',
    method: 'POST',
    path: '/webhooks/twilio/sms',
    timeoutSeconds: 10,
    memoryMb: replyPath.memoryMb,
    secrets: ['twilio'],
  },
  {
    name: 'inbound-email',
    method: 'POST',
    path: '/webhooks/sendgrid/inbound',
    timeoutSeconds: 20,
    memoryMb: 1024,
    secrets: ['inbound-email'],
  },
  {
    // Twilio status callbacks for the texts we send (delivered, undelivered, failed, ...).
    name: 'sms-status',
    method: 'POST',
    path: '/webhooks/twilio/status',
    timeoutSeconds: 10,
    memoryMb: 512,
    secrets: ['twilio'],
  },
  {
    // Twilio Voice: a call to the business number is forwarded to the business's line.
    name: 'voice',
    method: 'POST',
    path: '/webhooks/twilio/voice',
    timeoutSeconds: 10,
    memoryMb: 512,
    secrets: ['twilio'],
  },
  {
    // Twilio's <Dial action>: how the forwarded call ended; a missed one is texted back.
    name: 'dial-status',
    method: 'POST',
    path: '/webhooks/twilio/voice/dial-status',
    timeoutSeconds: 10,
    memoryMb: 512,
    secrets: ['twilio'],
  },
  {
    // Calendly webhook subscription: invitee.created / invitee.canceled, signed with its signing key.
    name: 'calendly',
    method: 'POST',
    path: '/webhooks/calendly',
    timeoutSeconds: 10,
    memoryMb: 512,
    secrets: ['booking-pages'],
  },
  {
    // Cal.com webhook: BOOKING_CREATED / RESCHEDULED / CANCELLED, signed with its secret.
    name: 'cal-com',
    method: 'POST',
    path: '/webhooks/cal-com',
    timeoutSeconds: 10,
    memoryMb: 512,
    secrets: ['booking-pages'],
  },
  {
    // SendGrid Event Webhook: delivered, bounced, dropped, spam reports. Its verification key is
    // public configuration (SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY), not a secret.
    name: 'email-events',
    method: 'POST',
    path: '/webhooks/sendgrid/events',
    timeoutSeconds: 30,
    memoryMb: 512,
    secrets: [],
  },
];

const consumerDefaults = {
  timeoutSeconds: 30,
  memoryMb: 512,
  batchSize: 5,
  maxBatchingWindowSeconds: 0,
  maxReceiveCount: 5,
  maxConcurrency: 10,
  secrets: [],
} as const;

export const subscribers: readonly Subscriber[] = [
  {
    ...consumerDefaults,
    name: 'qualify',
    description: 'Records the inbound message and decides what it is (OpenAI, rules fallback).',
    pattern: { source: [Source.inbound], 'detail-type': types(LeadMessageReceived) },
    ...replyPath,
    // The OpenAI call has its own timeout; this leaves room for the rules fallback.
    timeoutSeconds: 30,
    secrets: ['openai'],
  },
  {
    ...consumerDefaults,
    name: 'score',
    description: 'Scores a lead 0–100 with a grade and reasons.',
    pattern: {
      source: [Source.pipeline],
      'detail-type': types(LeadQualified),
      detail: { intent: ['new_lead', 'reply'] },
    },
    ...replyPath,
  },
  {
    ...consumerDefaults,
    name: 'calendar',
    description:
      'Offers free slots to leads who want a meeting, books the one they pick, moves or cancels a booked one.',
    pattern: {
      $or: [
        {
          source: [Source.pipeline],
          'detail-type': types(LeadScored),
          detail: { meeting: ['requested', 'slot-chosen', 'reschedule', 'cancel'] },
        },
        { source: [Source.inbound], 'detail-type': types(BookingPageEventReceived) },
      ],
    },
    ...replyPath,
    secrets: ['google-calendar'],
  },
  {
    ...consumerDefaults,
    name: 'auto-respond',
    description: "Replies on the lead's channel, minding opt-out and quiet hours.",
    pattern: {
      source: [Source.pipeline],
      $or: [
        { 'detail-type': types(LeadScored), detail: { meeting: ['none'] } },
        { 'detail-type': types(MeetingSlotsOffered, LeadOptedOut, LeadOptedIn, HelpRequested) },
        // A booking page confirms its own bookings and cancellations; Leadline answers its calendar's.
        { 'detail-type': types(MeetingBooked), detail: { bookedVia: ['calendar'] } },
        // A moved meeting is answered with the new times (Meeting Slots Offered), not twice.
        {
          'detail-type': types(MeetingCancelled),
          detail: { reason: ['cancelled'], bookedVia: ['calendar'] },
        },
      ],
    },
    // Replies go one at a time so a slow provider never holds a batch of leads.
    ...replyPath,
    secrets: ['twilio', 'sendgrid', 'openai'],
  },
  {
    ...consumerDefaults,
    name: 'crm-sync',
    description: 'Creates or updates the lead in the CRM with score, grade and the conversation.',
    pattern: {
      source: [Source.pipeline],
      'detail-type': types(
        LeadScored,
        ReplySent,
        MeetingBooked,
        MeetingCancelled,
        LeadOptedOut,
        ConversationStageChanged,
      ),
    },
    // CRM APIs rate-limit per account: keep the fan-in narrow. Off the reply path: a two-second
    // window gathers a lead's events (scored, reply sent, stage moved) into one CRM write.
    maxConcurrency: 2,
    batchSize: 10,
    maxBatchingWindowSeconds: 2,
    maxReceiveCount: 8,
    secrets: ['salesforce', 'hubspot'],
  },
  {
    ...consumerDefaults,
    name: 'notify',
    description:
      'Tells the rep a lead is routed to (hot leads, emergencies), the manager when a rep does not answer in time, the rep about meetings booked, moved or cancelled, missed calls, a lead of theirs who opted out, and a lead another rep took over.',
    pattern: {
      source: [Source.pipeline],
      $or: [
        {
          'detail-type': types(
            LeadRouted,
            RepResponseMissed,
            MeetingBooked,
            MeetingCancelled,
            MissedCallHandled,
            LeadOptedOut,
          ),
        },
        // A takeover of a lead routed to another rep: that rep is told.
        { 'detail-type': types(RepResponded), detail: { releasedRepId: [{ exists: true }] } },
      ],
    },
    secrets: ['slack', 'sendgrid', 'twilio'],
  },
  {
    ...consumerDefaults,
    name: 'route',
    description:
      'Routes a lead that needs a person to a rep (service, territory, weighted round-robin among those on duty), runs the rep’s response clock and acts on the rep’s text back.',
    pattern: {
      $or: [
        {
          source: [Source.pipeline],
          'detail-type': types(LeadScored),
          detail: { grade: ['hot'], previousGrade: [{ 'anything-but': ['hot'] }] },
        },
        // An emergency reported in a lead that was hot already still reaches a person at once.
        { source: [Source.pipeline], 'detail-type': types(LeadScored), detail: { emergency: [true] } },
        // The alert reached the rep: the response clock starts.
        {
          source: [Source.pipeline],
          'detail-type': types(RepNotified),
          detail: { reason: ['hot-lead', 'emergency'] },
        },
        { source: [Source.pipeline], 'detail-type': types(RepResponseDue) },
        { source: [Source.inbound], 'detail-type': types(RepMessageReceived) },
      ],
    },
  },
  {
    ...consumerDefaults,
    name: 'missed-call',
    description: 'Texts back a caller nobody answered, once per call, and tells the rep.',
    pattern: { source: [Source.inbound], 'detail-type': types(CallMissed) },
    // One call at a time, like replies: a slow provider never holds a batch of callers.
    batchSize: 1,
    secrets: ['twilio'],
  },
  {
    ...consumerDefaults,
    name: 'conversation',
    description:
      'Keeps each conversation’s stage, follows up a lead who goes quiet, and reminds them of their meeting.',
    pattern: {
      source: [Source.pipeline],
      $or: [
        // Spam, wrong numbers and automatic mail move no conversation.
        { 'detail-type': types(LeadQualified), detail: { intent: ['new_lead', 'reply'] } },
        {
          'detail-type': types(
            LeadScored,
            ReplySent,
            MeetingSlotsOffered,
            MeetingBooked,
            MeetingCancelled,
            LeadOptedOut,
            LeadOptedIn,
            FollowUpDue,
            MeetingReminderDue,
            MeetingNoShowReported,
          ),
        },
        // A rep taking the conversation over ends the automatic part of it.
        { 'detail-type': types(RepResponded), detail: { response: ['took-over'] } },
      ],
    },
    // Follow-ups and reminders are texts: one at a time, like replies.
    batchSize: 1,
    secrets: ['twilio', 'sendgrid'],
  },
  {
    ...consumerDefaults,
    name: 'archive-media',
    description: 'Copies the photos and files of an inbound MMS from Twilio to the blob store.',
    pattern: {
      source: [Source.inbound],
      'detail-type': types(LeadMessageReceived),
      detail: { channel: ['sms', 'whatsapp'], media: { url: [{ exists: true }] } },
    },
    // Up to 10 media of up to 5 MB each, fetched from Twilio and written to S3.
    timeoutSeconds: 60,
    secrets: ['twilio'],
  },
  {
    ...consumerDefaults,
    name: 'timeline',
    description: "Records every event in its lead's history, for the console's timeline.",
    // Everything on the bus: the history is the console's read model, not a pipeline step.
    pattern: { source: [Source.inbound, Source.pipeline] },
    // Off the reply path: a second's wait gathers a lead's events (about seven) into one batch,
    // written with one BatchWriteItem (25 items at most).
    batchSize: 25,
    maxBatchingWindowSeconds: 1,
  },
];

/** A function run on a schedule (an EventBridge Scheduler rule in the cloud, a timer locally). */
export interface ScheduledFunction {
  readonly name: string;
  readonly description: string;
  /** EventBridge `rate(...)` expression. */
  readonly schedule: `rate(${number} ${'minute' | 'minutes' | 'hour' | 'hours'})`;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly secrets: readonly SecretGroup[];
}

export const scheduled: readonly ScheduledFunction[] = [
  {
    name: 'send-held',
    description: 'Sends texts held for quiet hours once the window opens in the lead’s time zone.',
    schedule: 'rate(5 minutes)',
    timeoutSeconds: 60,
    memoryMb: 512,
    secrets: ['twilio'],
  },
];

/** Seconds between runs of a `rate(...)` schedule. */
export const scheduleIntervalSeconds = (fn: ScheduledFunction): number => {
  const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(fn.schedule);
  if (!match) throw new Error(`${fn.name}: unsupported schedule ${fn.schedule}`);
  return Number(match[1]) * (match[2]?.startsWith('hour') ? 3600 : 60);
};

export const subscriberNamed = (name: string): Subscriber => {
  const found = subscribers.find((s) => s.name === name);
  if (!found) throw new Error(`No subscriber named "${name}" in the topology`);
  return found;
};

/** The path the topology serves a webhook on (e.g. `/webhooks/twilio/sms`); throws for an unknown name. */
export const webhookPath = (name: string): string => {
  const webhook = webhooks.find((w) => w.name === name);
  if (!webhook) throw new Error(`The topology has no webhook named ${name}`);
  return webhook.path;
};

/** SQS visibility timeout: at least six times the function timeout plus the batching window (Lambda docs). */
export const visibilityTimeoutSeconds = (s: Subscriber) => 6 * s.timeoutSeconds + s.maxBatchingWindowSeconds;

export const EVENT_BUS_NAME = 'leadline';

/** A subscriber's SQS queue and dead-letter queue names (fixed: one Leadline per account and region). */
export const queueName = (subscriber: string) => `${EVENT_BUS_NAME}-${subscriber}`;
export const deadLetterQueueName = (subscriber: string) => `${EVENT_BUS_NAME}-${subscriber}-dlq`;
