import type * as z from 'zod';
import { catalog } from './catalog.ts';
import type { EventDefinition } from './envelope.ts';

/**
 * One valid detail per event, for tests and for reading: what each event carries. Pass overrides
 * to vary a field; the result is parsed, so a sample never drifts from its schema.
 */
const base = { version: 1 as const, leadId: 'ld_0123456789abcdef0123', correlationId: 'sms-SM0123456789' };

const defaults = {
  'Lead Message Received': {
    ...base,
    messageId: 'sms-SM0123456789',
    channel: 'sms',
    provider: 'twilio',
    providerMessageId: 'SM0123456789',
    from: '+15125550123',
    to: '+15125550100',
    body: 'Hi, my kitchen drain is clogged, can someone come today?',
    receivedAt: '2026-11-21T15:04:05.000Z',
    media: [],
    references: [],
  },
  'Lead Qualified': {
    ...base,
    messageId: 'sms-SM0123456789',
    channel: 'sms',
    intent: 'new_lead',
    meeting: 'none',
    qualifiedBy: 'rules',
    isNewLead: true,
  },
  'Lead Scored': {
    ...base,
    messageId: 'sms-SM0123456789',
    channel: 'sms',
    score: 85,
    grade: 'hot',
    previousGrade: 'none',
    meeting: 'none',
  },
  'Lead Opted Out': { ...base, messageId: 'sms-SM0123456789', channel: 'sms', contact: '+15125550123' },
  'Lead Opted In': { ...base, messageId: 'sms-SM0123456789', channel: 'sms', contact: '+15125550123' },
  'Help Requested': { ...base, messageId: 'sms-SM0123456789', channel: 'sms' },
  'Meeting Slots Offered': {
    ...base,
    messageId: 'sms-SM0123456789',
    channel: 'sms',
    slots: [
      { start: '2026-11-23T15:00:00.000Z', end: '2026-11-23T15:30:00.000Z' },
      { start: '2026-11-23T20:00:00.000Z', end: '2026-11-23T20:30:00.000Z' },
    ],
    reason: 'requested',
  },
  'Meeting Booked': {
    ...base,
    messageId: 'sms-SM0123456790',
    channel: 'sms',
    meetingId: 'mtg-evt-1',
    start: '2026-11-23T15:00:00.000Z',
    end: '2026-11-23T15:30:00.000Z',
    repId: 'rep-dana',
  },
  'Meeting Cancelled': {
    ...base,
    messageId: 'sms-SM0123456791',
    channel: 'sms',
    meetingId: 'mtg-evt-1',
    start: '2026-11-23T15:00:00.000Z',
    end: '2026-11-23T15:30:00.000Z',
    repId: 'rep-dana',
    reason: 'cancelled',
  },
  'Reply Sent': {
    ...base,
    messageId: 'sms-SM0123456789',
    outboundMessageId: 'out-first-reply-sms-SM0123456789',
    channel: 'sms',
    purpose: 'first-reply',
    sentAt: '2026-11-21T15:04:05.200Z',
    speedToLeadMs: 200,
  },
  'Lead Synced To CRM': { ...base, crm: 'sandbox', crmId: 'crm-1', created: true, trigger: 'Lead Scored' },
  'Rep Notified': { ...base, repId: 'rep-dana', via: 'slack', reason: 'hot-lead' },
  'Call Missed': {
    ...base,
    correlationId: 'call-CA0123456789',
    messageId: 'call-CA0123456789',
    callSid: 'CA0123456789',
    from: '+15125550123',
    to: '+15125550100',
    dialCallStatus: 'no-answer',
    receivedAt: '2026-11-21T15:04:05.000Z',
  },
  'Booking Page Event Received': {
    ...base,
    correlationId: 'calendly-0123456789abcdef',
    messageId: 'calendly-0123456789abcdef',
    provider: 'calendly',
    action: 'booked',
    bookingId: 'https://api.calendly.com/scheduled_events/EV1/invitees/IN1',
    start: '2026-11-23T15:00:00.000Z',
    end: '2026-11-23T15:30:00.000Z',
    email: 'maria@example.com',
    linkedLeadId: 'ld_0123456789abcdef0123',
  },
  'Conversation Stage Changed': { ...base, from: 'new', to: 'engaged', trigger: 'Reply Sent' },
  'Follow-Up Due': { ...base, anchor: 'out-sms-SM0123456789', step: 1 },
  'Follow-Up Sent': {
    ...base,
    anchor: 'out-sms-SM0123456789',
    step: 1,
    outboundMessageId: 'out-fu1-out-sms-SM0123456789',
    status: 'sent',
    last: false,
  },
  'Meeting Reminder Due': { ...base, meetingId: 'mtg-evt-1', reminder: 'day-before' },
  'Missed Call Handled': {
    ...base,
    correlationId: 'call-CA0123456789',
    messageId: 'call-CA0123456789',
    channel: 'sms',
    repId: 'rep-dana',
    textBack: 'sent',
  },
  'Lead Routed': {
    ...base,
    messageId: 'sms-SM0123456789',
    channel: 'sms',
    repId: 'rep-dana',
    reason: 'hot-lead',
    attempt: 1,
    responseMinutes: 5,
  },
  'Rep Response Due': { ...base, messageId: 'sms-SM0123456789', attempt: 1, repId: 'rep-dana' },
  'Rep Response Missed': {
    ...base,
    messageId: 'sms-SM0123456789',
    attempt: 1,
    repId: 'rep-dana',
    reason: 'hot-lead',
    nextRepId: 'rep-sam',
    responseMinutes: 5,
  },
  'Rep Message Received': {
    ...base,
    correlationId: 'sms-SM9876543210',
    messageId: 'sms-SM9876543210',
    repId: 'rep-dana',
    command: 'acknowledge',
    receivedAt: '2026-11-21T15:06:05.000Z',
  },
  'Rep Responded': {
    ...base,
    correlationId: 'sms-SM9876543210',
    messageId: 'sms-SM9876543210',
    repId: 'rep-dana',
    response: 'acknowledged',
    responseMs: 95_000,
  },
  'Meeting No-Show Reported': {
    ...base,
    correlationId: 'sms-SM9876543210',
    messageId: 'sms-SM9876543210',
    meetingId: 'mtg-evt-1',
    repId: 'rep-dana',
  },
} as const;

/** Overrides for `Meeting Slots Offered` when the business uses a booking link: no slots, the link. */
export const bookingLinkOffered = {
  slots: [] as Array<{ start: string; end: string }>,
  bookingUrl:
    'https://calendly.com/brightside-plumbing/estimate?name=Maria%20Lopez&email=maria%40example.com',
  reason: 'requested' as const,
};

export const sampleDetail = <S extends z.ZodType, D extends keyof typeof defaults>(
  event: EventDefinition<S, D>,
  overrides: Partial<z.input<S>> = {},
): z.infer<S> => event.schema.parse({ ...defaults[event.detailType], ...overrides });

/** The EventBridge envelope around a sample detail, as it arrives in an SQS body. */
export const sampleEnvelope = <S extends z.ZodType, D extends keyof typeof defaults>(
  event: EventDefinition<S, D>,
  overrides: Partial<z.input<S>> = {},
) => ({
  version: '0',
  id: `sample-${event.detailType.toLowerCase().replaceAll(' ', '-')}`,
  'detail-type': event.detailType,
  source: event.source,
  account: '000000000000',
  time: '2026-11-21T15:04:05Z',
  region: 'us-east-1',
  resources: [],
  detail: sampleDetail(event, overrides),
});

export const allEvents = Object.values(catalog);
