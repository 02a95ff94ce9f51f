import type * as z from 'zod';
import type { MeetingIntent, MessageIntent } from '#events/catalog.ts';
import {
  HelpRequested,
  type LeadMessageReceived,
  LeadOptedIn,
  LeadOptedOut,
  LeadQualified,
} from '#events/catalog.ts';
import { matchConsentKeyword } from '#shared/compliance/consent-keywords.ts';
import type { ConsentSignal } from '#shared/compliance/consent-ledger.ts';
import { recordConsentSignal } from '#shared/compliance/consent-record.ts';
import { betterLocalTime, localTimeFor } from '#shared/compliance/local-time.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { normaliseEmail, normalisePhone } from '#shared/domain/contact.ts';
import { isNewEmergency, mergeFacts, upcomingMeeting } from '#shared/domain/facts.ts';
import { attachmentsAsMedia } from '#shared/domain/mail/attachments.ts';
import { consentKeyword } from '#shared/domain/opt-out.ts';
import {
  blankQualification,
  type Qualification,
  type QualificationInput,
} from '#shared/domain/qualification.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import {
  type InboundAnnouncement,
  type InboundReading,
  type InboundRecord,
  type Lead,
  type LeadChanges,
  type LeadStore,
  leadFromInbound,
  type Meeting,
} from '#shared/ports/lead-store.ts';
import type { QualificationResult, Qualifier } from '#shared/ports/qualifier.ts';

type Received = z.infer<(typeof LeadMessageReceived)['schema']>;

const HISTORY_LIMIT = 12;

/** What a consent intent rests on, for the consent ledger. */
interface ConsentCause {
  signal: ConsentSignal;
  detail: string;
  /** Twilio Advanced Opt-Out answered the person already: Leadline confirms nothing. */
  answeredByProvider?: boolean;
}

export interface QualifyOutcome {
  intent: MessageIntent;
  qualifiedBy: QualificationResult['qualifiedBy'];
  isNewLead: boolean;
  /** The first text of a caller whose call nobody answered: a missed call recovered. */
  recoversMissedCall?: boolean;
  /** The message was read before (a redelivery): its announcement was only repeated. */
  repeated?: boolean;
}

/** What the message tells about its lead, and the message itself as the lead's conversation keeps it. */
const inboundRecord = (message: Received, profile: BusinessProfile): InboundRecord => {
  // SMS and WhatsApp leads are phone contacts.
  const isPhone = message.channel !== 'email';
  const localTime = localTimeFor({
    phone: isPhone ? message.from : undefined,
    fromState: message.fromState,
    businessTimeZone: profile.timeZone,
  });
  return {
    leadId: message.leadId,
    contact: message.from,
    channel: message.channel,
    ...(isPhone ? { phone: message.from } : { email: message.from }),
    ...(message.fromName && { name: message.fromName }),
    timeZone: localTime.zones[0] ?? profile.timeZone,
    localTime,
    message: {
      messageId: message.messageId,
      channel: message.channel,
      body: message.body,
      ...(message.subject && { subject: message.subject }),
      at: message.receivedAt,
      ...(message.automated && { automated: true }),
      // MMS media are recorded by archive-media once fetched; email attachments are archived already.
      ...(message.channel === 'email' &&
        message.media.length > 0 && { media: attachmentsAsMedia(message.media) }),
    },
    ...(message.channel === 'email' && {
      emailThread: {
        ...(message.subject && { subject: message.subject }),
        ...(message.emailMessageId && { messageId: message.emailMessageId }),
        references: message.references,
      },
    }),
  };
};

/** A lead as its first message makes it (written once qualified, with what was learnt). */
const freshLead = (record: InboundRecord): Lead => leadFromInbound(record, record.message.at);

/**
 * What a message tells about a known lead beyond its facts: a name, the email thread it wrote in,
 * and an earlier first message (an earlier message read after this one).
 */
const recordedChanges = (lead: Lead, record: InboundRecord): LeadChanges => ({
  ...(record.name && !lead.name && { name: record.name }),
  ...(record.emailThread && { emailThread: record.emailThread }),
  ...(record.message.at < lead.firstInboundAt && { firstInboundAt: record.message.at }),
});

/**
 * Reads an inbound message once and announces what it is: qualified, opted out, opted in, or asked
 * for help. One read of the lead's conversation; the lead is created or updated, with what the
 * message taught, in one conditional write; the reading is kept on the message with what was
 * announced. Idempotent by its own writes: a redelivered message (its reading stored) announces
 * the same again and reads nothing anew; two deliveries read at once keep the first reading.
 */
export const qualifyMessage = async (
  message: Received,
  deps: { store: LeadStore; qualifier: Qualifier; publisher: EventPublisher; profile: BusinessProfile },
): Promise<QualifyOutcome> => {
  const { store, publisher, profile } = deps;
  const record = inboundRecord(message, profile);
  const conversation = await store.getConversation(message.leadId);
  const earlier = conversation.messages.find((m) => m.messageId === message.messageId)?.reading;
  if (earlier?.announced) return announce(message, earlier, publisher, true);

  // A person writing from an address that bounced once shows it works again (a full mailbox, a
  // fixed domain); if it still does not, SendGrid drops the reply and says so again.
  if (message.channel === 'email' && !message.automated) await store.clearEmailUnreachable(message.from);

  const { messages, meetings } = conversation;
  const fresh = freshLead(record);
  const recorded = conversation.lead ?? fresh;
  const leadOptions = { current: conversation.lead ?? null, create: fresh };
  // New means no earlier message from the lead, whichever delivery of this one created the lead.
  const isNewLead = !messages.some(
    (m) =>
      m.direction === 'in' &&
      m.messageId !== message.messageId &&
      (m.at < message.receivedAt || (m.at === message.receivedAt && m.messageId < message.messageId)),
  );
  const history = messages
    .filter(
      (m) => m.messageId !== message.messageId && m.status !== 'suppressed' && m.status !== 'superseded',
    )
    .filter((m) => m.at <= message.receivedAt)
    .slice(-HISTORY_LIMIT)
    .map((m) => ({ direction: m.direction, body: m.body }));
  const booked = upcomingMeeting(meetings, new Date(message.receivedAt));
  // The ledger's first line: the lead wrote first, which is what a reply answers.
  if (isNewLead && !message.automated) {
    await store.recordConsentEvent({
      contact: message.from,
      id: `first_contact-${message.messageId}`,
      at: message.receivedAt,
      channel: message.channel,
      event: 'first_contact',
      signal: 'inbound-message',
      detail: 'the lead wrote to the business first',
      effect: 'none',
      messageId: message.messageId,
      leadId: message.leadId,
    });
  }

  const result = await readMessage(
    message,
    {
      isNewLead,
      offeredSlots: recorded.offeredSlots ?? [],
      history,
      booked,
      knownLanguage: recorded.known.language,
    },
    deps,
  );
  const { intent, consent } = decideIntent(message, result, isNewLead);
  const ref = { leadId: message.leadId, messageId: message.messageId };
  const { qualifiedBy } = result;

  if (consent && (intent === 'opt_out' || intent === 'opt_in' || intent === 'help')) {
    // In force already when a keyword carried it (the webhook recorded the state); this adds the
    // ledger entry, and a model's judgement takes effect here, never over a later state.
    const { effect: consentEffect } = await recordConsentSignal(store, {
      contact: message.from,
      channel: message.channel,
      action: intent,
      ...consent,
      at: message.receivedAt,
      messageId: message.messageId,
      leadId: message.leadId,
      text: message.subject ? `${message.subject}\n${message.body}` : message.body,
    });
    // The lead exists for the confirmation to answer (a first message may be a bare STOP or HELP).
    await store.modifyLead(message.leadId, (current) => recordedChanges(current, record), leadOptions);
    // Twilio Advanced Opt-Out answered the keyword itself: Leadline answers nothing more.
    const announced: InboundAnnouncement =
      intent === 'help' && consent.answeredByProvider
        ? { event: 'none', qualifiedBy, isNewLead }
        : {
            event:
              intent === 'opt_out'
                ? 'Lead Opted Out'
                : intent === 'opt_in'
                  ? 'Lead Opted In'
                  : 'Help Requested',
            qualifiedBy,
            isNewLead,
          };
    // Nothing answers a keyword Twilio Advanced Opt-Out answered itself, nor one that changed no
    // state (a second STOP or START: its confirmation would repeat the first's).
    const answer = consent.answeredByProvider || consentEffect === 'unchanged' ? 'none' : 'action';
    const stored = await store.settleInbound(
      ref,
      { ...reading(intent, 'none', message, null, answer), announced },
      record.message,
    );
    return announce(message, stored, publisher, false);
  }

  // Facts are merged into the lead as it is now: two messages of one lead read at the same time
  // both land, whichever writes first (optimistic concurrency in the store).
  let knownBefore = recorded.known;
  const lead = await store.modifyLead(
    message.leadId,
    (current) => {
      knownBefore = current.known;
      return {
        ...recordedChanges(current, record),
        ...learnt(current, result, intent, message, profile.timeZone),
      };
    },
    leadOptions,
  );
  const meeting = meetingIntent(result.qualification, lead, booked);
  const stored = await store.settleInbound(
    ref,
    {
      ...reading(intent, meeting, message, result.qualification.slotChoice),
      // A question needs its own answer, even in a burst another message's action answers.
      ...(result.qualification.questions.length > 0 && { asks: true }),
      announced: {
        event: 'Lead Qualified',
        meeting,
        qualifiedBy,
        isNewLead,
        emergency: isNewEmergency(knownBefore, result.qualification),
      },
    },
    record.message,
  );
  const recoversMissedCall =
    recorded.source === 'missed-call' &&
    !messages.some(
      (m) =>
        m.direction === 'in' &&
        m.messageId !== message.messageId &&
        !m.messageId.startsWith('call-') &&
        m.at <= message.receivedAt,
    );
  const outcome = await announce(message, stored, publisher, false);
  return { ...outcome, ...(recoversMissedCall && { recoversMissedCall }) };
};

/**
 * Publishes what the stored reading announced (ours, or the earlier reading's when a redelivery was
 * read at the same time): the same event however often the message comes.
 */
const announce = async (
  message: Received,
  reading: InboundReading,
  publisher: EventPublisher,
  repeated: boolean,
): Promise<QualifyOutcome> => {
  const announced = reading.announced;
  if (!announced) throw new Error(`The reading of ${message.messageId} says nothing of what it announced`);
  const base = {
    version: 1 as const,
    leadId: message.leadId,
    correlationId: message.correlationId,
    messageId: message.messageId,
    channel: message.channel,
  };
  const outcome = {
    intent: reading.intent,
    qualifiedBy: announced.qualifiedBy,
    isNewLead: announced.isNewLead,
    ...(repeated && { repeated }),
  };
  switch (announced.event) {
    case 'Lead Qualified':
      await publisher.publish(LeadQualified, {
        ...base,
        intent: reading.intent,
        meeting: announced.meeting,
        qualifiedBy: announced.qualifiedBy,
        isNewLead: announced.isNewLead,
        emergency: announced.emergency,
      });
      break;
    case 'Lead Opted Out':
    case 'Lead Opted In':
      await publisher.publish(announced.event === 'Lead Opted Out' ? LeadOptedOut : LeadOptedIn, {
        ...base,
        contact: message.from,
      });
      break;
    case 'Help Requested':
      await publisher.publish(HelpRequested, base);
      break;
    case 'none':
      break;
  }
  return outcome;
};

/**
 * What the message is and how the pipeline will answer it, kept on the message: confirmations and
 * calendar answers are actions, an answer to a lead's words a conversation, the rest nothing.
 * `auto-respond` reads it to give a burst of messages one answer.
 */
const reading = (
  intent: MessageIntent,
  meeting: MeetingIntent | 'none',
  message: Received,
  slotChoice?: number | null,
  consentAnswer: 'action' | 'none' = 'action',
): InboundReading => ({
  intent,
  answer:
    intent === 'opt_out' || intent === 'opt_in' || intent === 'help'
      ? consentAnswer
      : intent === 'new_lead' || intent === 'reply'
        ? meeting === 'none'
          ? 'conversation'
          : 'action'
        : 'none',
  ...(slotChoice != null && { slotChoice }),
  at: message.receivedAt,
});

/** What the message says: the qualifier reads a lead's words; some messages need no reading. */
const readMessage = async (
  message: Received,
  context: {
    isNewLead: boolean;
    offeredSlots: QualificationInput['offeredSlots'];
    history: QualificationInput['history'];
    booked: Meeting | undefined;
    knownLanguage: string | undefined;
  },
  deps: { qualifier: Qualifier; profile: BusinessProfile },
): Promise<QualificationResult> => {
  // A machine's message (out-of-office, bounce) is kept but never read as a lead's words.
  if (message.automated) {
    return {
      qualification: blankQualification({ intent: 'auto_reply', summary: 'Automatic message' }),
      qualifiedBy: 'rules',
    };
  }
  // A photo with no words (of the leak, say) is a lead talking, not spam; the reply asks what they need.
  if (message.body.trim() === '' && message.media.length > 0) {
    return {
      qualification: blankQualification({
        intent: context.isNewLead ? 'new_lead' : 'reply',
        summary: `Sent ${message.media.length} attachment(s) without text`,
        language: context.knownLanguage ?? 'en',
      }),
      qualifiedBy: 'rules',
    };
  }
  return deps.qualifier.qualify({
    channel: message.channel === 'email' ? 'email' : 'sms',
    body: message.body,
    subject: message.subject,
    history: context.history,
    offeredSlots: context.offeredSlots,
    business: {
      name: deps.profile.name,
      services: deps.profile.services,
      places: deps.profile.serviceArea.places,
    },
    // Offered times are written in the business's zone, so a pick like "Tuesday at 10" is read in it.
    timeZone: deps.profile.timeZone,
    receivedAt: message.receivedAt,
    ...(context.booked && { bookedMeeting: { start: context.booked.start, end: context.booked.end } }),
    ...(context.knownLanguage && { knownLanguage: context.knownLanguage }),
  });
};

/**
 * What the message is, and for a consent intent what it rests on. Opt-out is law: Twilio's
 * Advanced Opt-Out, then the rules' keywords and phrases (the webhook's own decision) win over
 * whatever a model thought; the model may add an opt-out the rules miss, never remove one. Only a
 * keyword opts back in.
 */
const decideIntent = (
  message: Received,
  result: QualificationResult,
  isNewLead: boolean,
): { intent: MessageIntent; consent?: ConsentCause } => {
  if (message.automated) return { intent: 'auto_reply' };
  const keyword = consentKeyword(message);
  if (keyword && message.optOutType) {
    return {
      intent: keyword,
      consent: {
        signal: 'twilio-opt-out-type',
        detail: `Twilio Advanced Opt-Out: OptOutType=${message.optOutType}`,
        answeredByProvider: true,
      },
    };
  }
  if (keyword) {
    const rule = matchConsentKeyword(message.body, {
      channel: message.channel,
      subject: message.subject,
    })?.rule;
    return {
      intent: keyword,
      consent: { signal: 'keyword', detail: rule ? `${rule.id} (source: ${rule.source})` : keyword },
    };
  }
  const q = result.qualification;
  if (q.intent === 'opt_out') {
    return {
      intent: 'opt_out',
      consent: {
        signal: result.qualifiedBy === 'openai' ? 'model' : 'keyword',
        detail: `${result.qualifiedBy} qualifier: ${q.summary}`,
      },
    };
  }
  // No keyword: "yes" or "start the job" never reopens texting to someone who said STOP.
  if (q.intent === 'opt_in') return { intent: isNewLead ? 'new_lead' : 'reply' };
  if (q.intent === 'help') {
    return {
      intent: 'help',
      consent: { signal: result.qualifiedBy === 'openai' ? 'model' : 'keyword', detail: q.summary },
    };
  }
  if (q.intent === 'new_lead' && !isNewLead) return { intent: 'reply' };
  if (q.intent === 'reply' && isNewLead) return { intent: 'new_lead' };
  return { intent: q.intent };
};

/**
 * What the calendar must do. Moving or cancelling needs a booked meeting: without one, "can we
 * move it" asks for times and "cancel it" asks for nothing. An emergency is not offered a slot in
 * a few days: a person calls back at once (`notify`), and the reply says so.
 */
const meetingIntent = (q: Qualification, lead: Lead, booked: Meeting | undefined): MeetingIntent => {
  if (q.meetingChange !== 'none') {
    if (booked) return q.meetingChange;
    return q.meetingChange === 'reschedule' ? 'requested' : 'none';
  }
  if (q.slotChoice !== null && (lead.offeredSlots?.length ?? 0) > 0) return 'slot-chosen';
  if (q.urgency === 'emergency') return 'none';
  return q.wantsMeeting ? 'requested' : 'none';
};

/** Spam and wrong numbers are marked; a genuine message from such a contact brings it back. */
const statusAfter = (lead: Lead, intent: MessageIntent): Lead['status'] => {
  if (intent === 'spam' || intent === 'wrong_number') return intent;
  if (intent === 'auto_reply') return lead.status;
  if (lead.status === 'booked') return 'booked';
  return lead.firstReplyAt ? 'engaged' : 'new';
};

/**
 * The lead's facts after this message. Messages of one lead may be read out of order (a burst
 * spread over batches, a retry): a message older than the lead's latest reading only fills facts
 * still missing, and never replaces that reading.
 */
const learnt = (
  lead: Lead,
  result: QualificationResult,
  intent: MessageIntent,
  message: Received,
  businessTimeZone: string,
): LeadChanges => {
  const q = result.qualification;
  const isLatest = !lead.qualification || message.receivedAt >= lead.qualification.at;
  const phone = lead.phone ?? (q.phone ? (normalisePhone(q.phone) ?? undefined) : undefined);
  const email = lead.email ?? (q.email ? (normaliseEmail(q.email) ?? undefined) : undefined);
  // A better signal of where the lead is (a phone number given in an email) moves its zone.
  const localTime = betterLocalTime(
    lead.localTime,
    localTimeFor({ phone, fromState: message.fromState, businessTimeZone }),
  );
  return {
    // Only a lead's own words are facts about them: spam and wrong numbers add none.
    known: intent === 'new_lead' || intent === 'reply' ? knownAfter(lead, q, isLatest) : lead.known,
    ...(q.name && !lead.name && { name: q.name }),
    ...(phone && { phone }),
    ...(email && { email }),
    ...(localTime !== lead.localTime && { localTime, timeZone: localTime.zones[0] ?? lead.timeZone }),
    ...(isLatest && {
      status: statusAfter(lead, intent),
      qualification: {
        ...q,
        intent,
        qualifiedBy: result.qualifiedBy,
        messageId: message.messageId,
        at: message.receivedAt,
      },
    }),
  };
};

/**
 * The lead's facts with this message's merged in. A message read after a later one (a burst
 * spread over batches, a retry) only fills what is still missing; urgency only ever rises.
 */
const knownAfter = (lead: Lead, q: Qualification, isLatest: boolean) => {
  const merged = mergeFacts(lead.known, q);
  return isLatest ? merged : { ...merged, ...lead.known, urgency: merged.urgency };
};
