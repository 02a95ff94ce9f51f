import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { isSmsDeliveryFailure } from '#shared/domain/sms-delivery.ts';
import type { ConsentEntry, RecordedEvent } from '#shared/ports/lead-history.ts';
import type { Lead, LeadMessage, Meeting } from '#shared/ports/lead-store.ts';
import { formatDuration, INTENT_LABELS } from './format.ts';
import { readableTime } from './thread.ts';
import type { TimelineItem } from './views.ts';

interface Context {
  timeZone: string;
  profile: BusinessProfile;
}

type Described = Omit<TimelineItem, 'at' | 'source'>;
type Facts = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const channelWord = (facts: Facts) => (facts.channel === 'email' ? 'email' : 'text');
const repName = (repId: unknown, ctx: Context) =>
  ctx.profile.reps.find((r) => r.id === repId)?.name ??
  (repId === 'manager' ? ctx.profile.routing.manager?.name : undefined) ??
  str(repId) ??
  'a rep';
/** Why a rep (or the manager) was alerted, by `Rep Notified`'s reason. */
const ALERT_REASONS: Record<string, string> = {
  'hot-lead': 'the lead turned hot',
  emergency: 'an emergency',
  'meeting-booked': 'a meeting was booked',
  'meeting-cancelled': 'the meeting was cancelled',
  'meeting-moved': 'the meeting was moved',
  'missed-call': 'a missed call',
  'response-missed': 'a rep did not answer in time',
};
const REP_RESPONSES: Record<string, string> = {
  acknowledged: 'took the lead',
  'took-over': 'took the conversation over: nothing automatic goes to the lead',
  late: 'answered after the lead had gone to another rep',
};
const webLink = (value: unknown, label: string) => {
  const href = str(value);
  return href && /^https?:\/\//i.test(href) ? { link: { href, label } } : {};
};
const CRM_NAMES: Record<string, string> = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  sandbox: 'the sandbox CRM',
};
const MEETING_WISHES: Record<string, string> = {
  requested: 'wants a meeting',
  'slot-chosen': 'picked one of the offered times',
};
const OFFER_REASONS: Record<string, string> = {
  'slot-taken': 'the time they picked was taken meanwhile',
  'no-match': 'their answer matched none of the offered times',
};

/** Each known event in words; an event not listed here is shown by its name and facts. */
const describers: Record<string, (facts: Facts, ctx: Context) => Described> = {
  'Lead Message Received': (f) => ({
    title: `${f.channel === 'email' ? 'Email' : 'Text'} received`,
    details: [
      `from ${str(f.fromName) ? `${f.fromName} <${f.from}>` : String(f.from)}`,
      ...(f.automated ? ['written by a machine: recorded, not answered'] : []),
      ...(Array.isArray(f.media) && f.media.length ? [`${f.media.length} attachment(s)`] : []),
      ...(str(f.optOutType) ? [`carrier keyword ${f.optOutType}`] : []),
    ],
    tone: 'neutral',
  }),
  'Lead Qualified': (f) => ({
    title: `Qualified: ${INTENT_LABELS[String(f.intent)] ?? String(f.intent)}`,
    details: [
      `by ${f.qualifiedBy === 'openai' ? 'OpenAI (structured output)' : 'the rules'}`,
      ...(MEETING_WISHES[String(f.meeting)] ? [MEETING_WISHES[String(f.meeting)]!] : []),
      ...(f.isNewLead ? ['first message of a new lead'] : []),
    ],
    tone: f.intent === 'spam' || f.intent === 'wrong_number' ? 'warn' : 'neutral',
  }),
  'Lead Scored': (f) => {
    const changed = f.previousGrade !== 'none' && f.previousGrade !== f.grade;
    return {
      title: `Scored ${String(f.score)} · ${String(f.grade)}${changed ? ` (was ${String(f.previousGrade)})` : ''}`,
      details: Array.isArray(f.reasons) ? f.reasons.map(String) : [],
      tone: f.grade === 'hot' ? 'good' : 'neutral',
    };
  },
  'Lead Opted Out': (f) => ({
    title: 'Opted out',
    details: [`by ${channelWord(f)}: nothing more goes to ${String(f.contact)} until they opt back in`],
    tone: 'bad',
  }),
  'Lead Opted In': (f) => ({
    title: 'Opted back in',
    details: [`by ${channelWord(f)}: ${String(f.contact)} may be answered again`],
    tone: 'good',
  }),
  'Help Requested': (f) => ({ title: 'Asked for help', details: [`by ${channelWord(f)}`], tone: 'neutral' }),
  'Meeting Slots Offered': (f, ctx) => {
    const slots = Array.isArray(f.slots) ? (f.slots as { start?: unknown }[]) : [];
    const booking = webLink(f.bookingUrl, 'booking page');
    return {
      title:
        'link' in booking
          ? 'Sent the booking link'
          : `Offered ${slots.length} time${slots.length === 1 ? '' : 's'}`,
      details: [
        ...slots.flatMap((s) => (str(s.start) ? [readableTime(String(s.start), ctx.timeZone)] : [])),
        ...(OFFER_REASONS[String(f.reason)] ? [OFFER_REASONS[String(f.reason)]!] : []),
      ],
      tone: 'neutral',
      ...booking,
    };
  },
  'Meeting Booked': (f, ctx) => ({
    title: 'Meeting booked',
    details: [
      `${str(f.start) ? readableTime(String(f.start), ctx.timeZone) : 'time unknown'} with ${repName(f.repId, ctx)}`,
    ],
    tone: 'good',
  }),
  'Reply Sent': (f) => ({
    title: `Replied by ${channelWord(f)}`,
    details: [
      ...(str(f.purpose) ? [String(f.purpose).replace(/[-_]/g, ' ')] : []),
      ...(typeof f.speedToLeadMs === 'number' ? [`speed to lead: ${formatDuration(f.speedToLeadMs)}`] : []),
      ...(f.composedBy === 'openai'
        ? ['drafted by OpenAI, checked']
        : f.composedBy === 'template'
          ? ['from the templates']
          : []),
    ],
    tone: 'good',
  }),
  'Lead Synced To CRM': (f) => ({
    title: `${f.created ? 'Created' : 'Updated'} in ${CRM_NAMES[String(f.crm)] ?? String(f.crm)}`,
    details: [`record ${String(f.crmId)}`, ...(str(f.trigger) ? [`after: ${String(f.trigger)}`] : [])],
    tone: 'neutral',
    ...webLink(f.recordUrl, 'open in the CRM'),
  }),
  'Rep Notified': (f, ctx) => ({
    title: `Alerted ${repName(f.repId, ctx)}`,
    details: [`by ${String(f.via)}`, ALERT_REASONS[String(f.reason)] ?? String(f.reason)],
    tone: 'neutral',
  }),
  'Lead Routed': (f, ctx) => ({
    title: `Routed to ${repName(f.repId, ctx)}`,
    details: [
      ...(str(f.previousRepId) ? [`passed on from ${repName(f.previousRepId, ctx)}`] : []),
      Number(f.responseMinutes) > 0
        ? `to answer within ${String(f.responseMinutes)} min`
        : 'no response clock',
    ],
    tone: 'neutral',
  }),
  'Rep Response Missed': (f, ctx) => ({
    title: `${repName(f.repId, ctx)} did not answer in time`,
    details: [str(f.nextRepId) ? `passed to ${repName(f.nextRepId, ctx)}` : 'no rep left to ask'],
    tone: 'warn',
  }),
  'Rep Responded': (f, ctx) => ({
    title: `${repName(f.repId, ctx)} ${REP_RESPONSES[String(f.response)] ?? String(f.response)}`,
    details: typeof f.responseMs === 'number' ? [`after ${formatDuration(f.responseMs)}`] : [],
    tone: f.response === 'late' ? 'neutral' : 'good',
  }),
  'Meeting No-Show Reported': (f, ctx) => ({
    title: 'Missed the meeting',
    details: [`reported by ${repName(f.repId, ctx)}: the lead is offered a new time`],
    tone: 'warn',
  }),
};

const describeUnknown = (event: RecordedEvent): Described => ({
  title: event.detailType,
  details: Object.entries(event.facts)
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
    .slice(0, 6)
    .map(([key, value]) => `${key}: ${String(value)}`),
  tone: 'neutral',
});

/** How long after its message an item still counts as part of what the message caused at once. */
const GROUP_WINDOW_MS = 60_000;

/** Where an item stands among those that follow from the same inbound message: the pipeline's order. */
const STAGE: Record<string, number> = {
  'Lead Message Received': 0,
  consent: 1,
  'Lead Qualified': 1,
  'Lead Opted Out': 1,
  'Lead Opted In': 1,
  'Help Requested': 1,
  'Lead Scored': 2,
  'Meeting Slots Offered': 3,
  'Meeting Booked': 3,
  message: 4,
  'Reply Sent': 4,
  'Lead Synced To CRM': 5,
  'Lead Routed': 5,
  'Rep Notified': 5,
};

/**
 * `group`: the inbound message the item follows from (the events' correlationId, a reply's
 * `inReplyTo`); `startedAt`: when that message came, to the millisecond (its `receivedAt`).
 */
type Ranked = TimelineItem & { rank: number; group?: string; startedAt?: string };

/** What happened to outbound messages that no event tells: held, suppressed, failed, delivered, bounced. */
const messageItems = (messages: readonly LeadMessage[], ctx: Context): Ranked[] =>
  messages
    .filter((m) => m.direction === 'out')
    .flatMap((m): Ranked[] => {
      const what = m.channel === 'sms' ? 'Text' : 'Email';
      const base = {
        source: 'message' as const,
        rank: STAGE.message!,
        ...(m.inReplyTo && { group: m.inReplyTo }),
      };
      const items: Ranked[] = [];
      if (m.status === 'held' || (m.status === 'sending' && m.sendAt)) {
        items.push({
          ...base,
          at: m.at,
          title: `${what} held`,
          details: [
            `until ${m.sendAt ? readableTime(m.sendAt, ctx.timeZone) : 'the window opens'}`,
            ...(m.reason ? [m.reason] : []),
          ],
          tone: 'warn',
        });
      }
      if (m.status === 'suppressed') {
        items.push({
          ...base,
          at: m.at,
          title: `${what} not sent`,
          details: [m.reason ?? 'suppressed'],
          tone: 'bad',
        });
      }
      if (m.status === 'failed' && !m.smsDelivery) {
        items.push({
          ...base,
          at: m.at,
          title: `${what} failed`,
          details: [m.reason ?? 'the provider refused it'],
          tone: 'bad',
        });
      }
      const sms = m.smsDelivery;
      if (sms && (sms.status === 'delivered' || sms.status === 'read' || isSmsDeliveryFailure(sms.status))) {
        const good = sms.status === 'delivered' || sms.status === 'read';
        items.push({
          ...base,
          at: sms.at,
          title: `Text ${sms.status}`,
          details: [
            ...(sms.errorCode ? [`Twilio error ${sms.errorCode}`] : []),
            ...(m.purpose ? [m.purpose.replace(/[-_]/g, ' ')] : []),
          ],
          tone: good ? 'good' : 'bad',
        });
      }
      const email = m.emailDelivery;
      if (email && email.status !== 'deferred') {
        items.push({
          ...base,
          at: email.at,
          title: `Email ${email.status}`,
          details: email.reason ? [email.reason] : [],
          tone: email.status === 'delivered' ? 'good' : 'bad',
        });
      }
      return items;
    });

const CONSENT_FIELDS = ['channel', 'cause', 'reason', 'source', 'keyword', 'messageId', 'method'];

const consentItems = (entries: readonly ConsentEntry[]): Ranked[] =>
  entries.map((entry) => {
    const action = str(entry.action) ?? str(entry.type) ?? str(entry.status) ?? str(entry.event) ?? 'entry';
    return {
      at: entry.at,
      source: 'consent',
      rank: STAGE.consent!,
      title: `Consent: ${action.replace(/[-_]/g, ' ')}`,
      details: CONSENT_FIELDS.flatMap((field) =>
        str(entry[field]) ? [`${field}: ${String(entry[field])}`] : [],
      ),
      tone: /out|revok|withdr/i.test(action) ? 'bad' : /in|grant|given/i.test(action) ? 'good' : 'neutral',
    };
  });

/** For a lead whose history was not recorded (it came before the timeline existed): what the lead item itself holds. */
const storedItems = (lead: Lead, meetings: readonly Meeting[], ctx: Context): Ranked[] => {
  const items: Ranked[] = [];
  const q = lead.qualification;
  if (q) {
    items.push({
      at: q.at,
      source: 'stored',
      rank: STAGE['Lead Qualified']!,
      ...describers['Lead Qualified']!({ intent: q.intent, qualifiedBy: q.qualifiedBy }, ctx),
    });
  }
  if (lead.score) {
    items.push({
      at: lead.score.at,
      source: 'stored',
      rank: STAGE['Lead Scored']!,
      ...describers['Lead Scored']!({ ...lead.score, previousGrade: 'none' }, ctx),
    });
  }
  for (const meeting of meetings) {
    items.push({
      at: meeting.bookedAt,
      source: 'stored',
      rank: STAGE['Meeting Booked']!,
      ...describers['Meeting Booked']!(meeting as unknown as Facts, ctx),
    });
  }
  if (lead.crm) {
    items.push({
      at: lead.crm.syncedAt,
      source: 'stored',
      rank: STAGE['Lead Synced To CRM']!,
      ...describers['Lead Synced To CRM']!(
        { crm: lead.crm.provider, crmId: lead.crm.id, created: false },
        ctx,
      ),
    });
  }
  return items;
};

/**
 * A lead's timeline, oldest first: every recorded pipeline event in words, what became of each
 * outbound message, and the consent ledger's entries. A lead with no recorded history (older than
 * the timeline) shows what its own item holds instead.
 */
export const buildTimeline = (input: {
  lead: Lead;
  events: readonly RecordedEvent[];
  messages: readonly LeadMessage[];
  meetings: readonly Meeting[];
  consent: readonly ConsentEntry[];
  profile: BusinessProfile;
}): TimelineItem[] => {
  const ctx: Context = { timeZone: input.lead.timeZone, profile: input.profile };
  const ranked: Ranked[] = [
    ...input.events.map(
      (event): Ranked => ({
        at: event.at,
        source: 'event',
        rank: STAGE[event.detailType] ?? 6,
        group: event.correlationId,
        ...(str(event.facts.receivedAt) && { startedAt: String(event.facts.receivedAt) }),
        ...(describers[event.detailType]?.(event.facts, ctx) ?? describeUnknown(event)),
      }),
    ),
    ...(input.events.length === 0 ? storedItems(input.lead, input.meetings, ctx) : []),
    ...messageItems(input.messages, ctx),
    ...consentItems(input.consent),
  ];
  // EventBridge times have whole seconds, and one message's events often share one: items are
  // grouped by the inbound message they follow from, groups in the order the messages came, and
  // within a group in the pipeline's order.
  // A group starts when its message came (to the millisecond) or, without it, at its first item.
  const groupStart = new Map<string, string>();
  for (const item of ranked) if (item.group && item.startedAt) groupStart.set(item.group, item.startedAt);
  const precise = new Set(groupStart.keys());
  for (const item of ranked) {
    if (!item.group || precise.has(item.group)) continue;
    const known = groupStart.get(item.group);
    if (!known || item.at < known) groupStart.set(item.group, item.at);
  }
  // Steps a timer or a person caused later (a rep's answer, a follow-up, a reminder) carry the same
  // correlation id but stand at their own time.
  const when = (item: Ranked) => {
    const start = item.group ? groupStart.get(item.group) : undefined;
    return start && Date.parse(item.at) - Date.parse(start) < GROUP_WINDOW_MS ? start : item.at;
  };
  return ranked
    .sort((a, b) => when(a).localeCompare(when(b)) || a.rank - b.rank || a.at.localeCompare(b.at))
    .map(({ rank: _rank, group: _group, startedAt: _startedAt, ...item }) => item);
};
