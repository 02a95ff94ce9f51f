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
import { consentKeyword } from '#shared/domain/opt-out.ts';
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
  const isSms = message.channel === 'sms';
  const localTime = localTimeFor({
    phone: isSms ? message.from : undefined,
    fromState: message.fromState,
    businessTimeZone: profile.timeZone,
  });
  const { lead, isNewLead } = await store.recordInbound({
    leadId: message.leadId,
    contact: message.from,
    channel: message.channel,
    ...(isSms ? { phone: message.from } : { email: message.from }),
    ...(message.fromName && { name: message.fromName }),
    timeZone: localTime.zones[0] ?? profile.timeZone,
    localTime,
    message: {
      messageId: message.messageId,
      channel: message.channel,
      body: message.body,
      ...(message.subject && { subject: message.subject }),
      at: message.receivedAt,
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
  if (!isSms && !message.automated) await store.clearEmailUnreachable(message.from);
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
      leadId: lead.leadId,
    });
  }

  const history = (await store.getMessages(lead.leadId))
    .filter((m) => m.messageId !== message.messageId && m.status !== 'suppressed')
    .slice(-HISTORY_LIMIT)
    .map((m) => ({ direction: m.direction, body: m.body }));

  const result = await readMessage(
    message,
    { isNewLead, offeredSlots: lead.offeredSlots ?? [], history },
    deps,
  );
  const { intent, consent } = decideIntent(message, result, isNewLead);
  const base = { version: 1 as const, leadId: lead.leadId, correlationId: message.correlationId };

  if (consent && (intent === 'opt_out' || intent === 'opt_in' || intent === 'help')) {
    await recordConsentSignal(store, {
      contact: message.from,
      channel: message.channel,
      action: intent,
      ...consent,
      at: message.receivedAt,
      messageId: message.messageId,
      leadId: lead.leadId,
      text: message.subject ? `${message.subject}\n${message.body}` : message.body,
    });
  }
  if (intent === 'opt_out' || intent === 'opt_in') {
    await publisher.publish(intent === 'opt_out' ? LeadOptedOut : LeadOptedIn, {
      ...base,
      messageId: message.messageId,
      channel: message.channel,
      contact: message.from,
    });
    return { intent, qualifiedBy: result.qualifiedBy, isNewLead };
  }
  if (intent === 'help') {
    // Twilio Advanced Opt-Out answered HELP itself: a second answer would repeat it.
    if (consent?.answeredByProvider) return { intent, qualifiedBy: result.qualifiedBy, isNewLead };
    await publisher.publish(HelpRequested, {
      ...base,
      messageId: message.messageId,
      channel: message.channel,
    });
    return { intent, qualifiedBy: result.qualifiedBy, isNewLead };
  }

  await store.updateLead(lead.leadId, learnt(lead, result, intent, message, profile.timeZone));
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
    channel: message.channel,
    body: message.body,
    subject: message.subject,
    history: context.history,
    offeredSlots: context.offeredSlots,
    business: { name: deps.profile.name, services: deps.profile.services },
    // Offered times are written in the business's zone, so a pick like "Tuesday at 10" is read in it.
    timeZone: deps.profile.timeZone,
  });
};

/**
 * What the message is, and for a consent intent what it rests on. Opt-out is law: Twilio's
 * Advanced Opt-Out, then the rules' keywords and phrases win over whatever a model thought; the
 * model may add an opt-out the rules miss, never remove one. Only a keyword opts back in.
 */
const decideIntent = (
  message: Received,
  result: QualificationResult,
  isNewLead: boolean,
): { intent: MessageIntent; consent?: ConsentCause } => {
  if (message.automated) return { intent: 'auto_reply' };
  // The same decision the webhook makes (consentKeyword), with the rule that made it.
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
  businessTimeZone: string,
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
  // A better signal of where the lead is (a phone number given in an email) moves its zone.
  const localTime = betterLocalTime(
    lead.localTime,
    localTimeFor({ phone, fromState: message.fromState, businessTimeZone }),
  );
  return {
    known: Object.fromEntries(Object.entries(known).filter(([, v]) => v !== undefined)),
    ...(q.name && !lead.name && { name: q.name }),
    ...(phone && { phone }),
    ...(email && { email }),
    ...(localTime !== lead.localTime && { localTime, timeZone: localTime.zones[0] ?? lead.timeZone }),
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
