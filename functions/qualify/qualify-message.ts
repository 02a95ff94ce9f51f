import type * as z from 'zod';
import type { MeetingIntent, MessageIntent } from '#events/catalog.ts';
import {
  HelpRequested,
  type LeadMessageReceived,
  LeadOptedIn,
  LeadOptedOut,
  LeadQualified,
} from '#events/catalog.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { normaliseEmail, normalisePhone, usStateTimeZone } from '#shared/domain/contact.ts';
import { attachmentsAsMedia } from '#shared/domain/mail/attachments.ts';
import { classifyKeyword } from '#shared/domain/opt-out.ts';
import {
  blankQualification,
  type Qualification,
  type QualificationInput,
} from '#shared/domain/qualification.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';
import type { QualificationResult, Qualifier } from '#shared/ports/qualifier.ts';

type Received = z.infer<(typeof LeadMessageReceived)['schema']>;

const HISTORY_LIMIT = 12;

/** Twilio's Advanced Opt-Out classification is authoritative when present. */
const intentFromOptOutType = { STOP: 'opt_out', START: 'opt_in', HELP: 'help' } as const;

export interface QualifyOutcome {
  intent: MessageIntent;
  qualifiedBy: QualificationResult['qualifiedBy'];
  isNewLead: boolean;
}

/**
 * Records the inbound message on its lead, asks the qualifier what it is, keeps what it learnt,
 * and publishes the fact: qualified, opted out, opted in, or asked for help.
 */
export const qualifyMessage = async (
  message: Received,
  deps: { store: LeadStore; qualifier: Qualifier; publisher: EventPublisher; profile: BusinessProfile },
): Promise<QualifyOutcome> => {
  const { store, publisher, profile } = deps;
  // SMS and WhatsApp leads are phone contacts.
  const isPhone = message.channel !== 'email';
  const { lead, isNewLead } = await store.recordInbound({
    leadId: message.leadId,
    contact: message.from,
    channel: message.channel,
    ...(isPhone ? { phone: message.from } : { email: message.from }),
    ...(message.fromName && { name: message.fromName }),
    timeZone: (message.fromState && usStateTimeZone(message.fromState)) || profile.timeZone,
    message: {
      messageId: message.messageId,
      channel: message.channel,
      body: message.body,
      ...(message.subject && { subject: message.subject }),
      at: message.receivedAt,
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
  });

  // A person writing from an address that bounced once shows it works again (a full mailbox, a
  // fixed domain); if it still does not, SendGrid drops the reply and says so again.
  if (!isPhone && !message.automated) await store.clearEmailUnreachable(message.from);

  const history = (await store.getMessages(lead.leadId))
    .filter((m) => m.messageId !== message.messageId && m.status !== 'suppressed')
    .slice(-HISTORY_LIMIT)
    .map((m) => ({ direction: m.direction, body: m.body }));

  const result = await readMessage(
    message,
    { isNewLead, offeredSlots: lead.offeredSlots ?? [], history },
    deps,
  );
  const intent = decideIntent(message, result.qualification, isNewLead);
  const base = { version: 1 as const, leadId: lead.leadId, correlationId: message.correlationId };

  if (intent === 'opt_out' || intent === 'opt_in') {
    await store.setOptOut({
      contact: message.from,
      optedOut: intent === 'opt_out',
      at: message.receivedAt,
      channel: message.channel,
      messageId: message.messageId,
    });
    await publisher.publish(intent === 'opt_out' ? LeadOptedOut : LeadOptedIn, {
      ...base,
      messageId: message.messageId,
      channel: message.channel,
      contact: message.from,
    });
    return { intent, qualifiedBy: result.qualifiedBy, isNewLead };
  }
  if (intent === 'help') {
    await publisher.publish(HelpRequested, {
      ...base,
      messageId: message.messageId,
      channel: message.channel,
    });
    return { intent, qualifiedBy: result.qualifiedBy, isNewLead };
  }

  await store.updateLead(lead.leadId, learnt(lead, result, intent, message));
  await publisher.publish(LeadQualified, {
    ...base,
    messageId: message.messageId,
    channel: message.channel,
    intent,
    meeting: meetingIntent(result.qualification, lead),
    qualifiedBy: result.qualifiedBy,
    isNewLead,
  });
  return { intent, qualifiedBy: result.qualifiedBy, isNewLead };
};

/** What the message says: the qualifier reads a lead's words; some messages need no reading. */
const readMessage = async (
  message: Received,
  context: {
    isNewLead: boolean;
    offeredSlots: QualificationInput['offeredSlots'];
    history: QualificationInput['history'];
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
    business: { name: deps.profile.name, services: deps.profile.services },
    // Offered times are written in the business's zone, so a pick like "Tuesday at 10" is read in it.
    timeZone: deps.profile.timeZone,
  });
};

const decideIntent = (message: Received, q: Qualification, isNewLead: boolean): MessageIntent => {
  if (message.automated) return 'auto_reply';
  if (message.optOutType) return intentFromOptOutType[message.optOutType];
  // Opt-out is law: a keyword wins over whatever a model thought.
  const keyword =
    classifyKeyword(message.body) ?? (message.subject ? emailSubjectKeyword(message.subject) : null);
  if (keyword) return keyword;
  if (q.intent === 'new_lead' && !isNewLead) return 'reply';
  if (q.intent === 'reply' && isNewLead) return 'new_lead';
  return q.intent;
};

/** An email whose subject is only "unsubscribe" or "stop" is an opt-out, whatever the body quotes. */
const emailSubjectKeyword = (subject: string) => {
  const keyword = classifyKeyword(subject);
  return keyword === 'opt_out' ? keyword : null;
};

const meetingIntent = (q: Qualification, lead: Lead): MeetingIntent => {
  if (q.slotChoice !== null && (lead.offeredSlots?.length ?? 0) > 0) return 'slot-chosen';
  return q.wantsMeeting ? 'requested' : 'none';
};

/** Spam and wrong numbers are marked; a genuine message from such a contact brings it back. */
const statusAfter = (lead: Lead, intent: MessageIntent): Lead['status'] => {
  if (intent === 'spam' || intent === 'wrong_number') return intent;
  if (intent === 'auto_reply') return lead.status;
  if (lead.status === 'booked') return 'booked';
  return lead.firstReplyAt ? 'engaged' : 'new';
};

const learnt = (
  lead: Lead,
  result: QualificationResult,
  intent: MessageIntent,
  message: Received,
): Partial<Lead> => {
  const q = result.qualification;
  const keep = (value: string | null, previous: string | undefined) => value ?? previous;
  const known = {
    need: keep(q.need, lead.known.need),
    service: keep(q.service, lead.known.service),
    location: keep(q.location, lead.known.location),
    timing: q.timing !== 'unknown' ? q.timing : lead.known.timing,
    budget: keep(q.budget, lead.known.budget),
  };
  const phone = lead.phone ?? (q.phone ? (normalisePhone(q.phone) ?? undefined) : undefined);
  const email = lead.email ?? (q.email ? (normaliseEmail(q.email) ?? undefined) : undefined);
  return {
    known: Object.fromEntries(Object.entries(known).filter(([, v]) => v !== undefined)),
    ...(q.name && !lead.name && { name: q.name }),
    ...(phone && { phone }),
    ...(email && { email }),
    status: statusAfter(lead, intent),
    qualification: {
      ...q,
      intent,
      qualifiedBy: result.qualifiedBy,
      messageId: message.messageId,
      at: message.receivedAt,
    },
  };
};
