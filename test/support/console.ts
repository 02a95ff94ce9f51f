import type { EventDefinition } from '#events/envelope.ts';
import { sampleDetail } from '#events/samples.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import type { RecordedEvent } from '#shared/ports/lead-history.ts';
import type { Lead, LeadMessage } from '#shared/ports/lead-store.ts';
import { toRecordedEvent } from '../../functions/timeline/record-event.ts';

export const LEAD_ID = 'ld_0123456789abcdef0123';

/** The demo business (Brightside Plumbing; its rep `rep-dana` is Dana Ortiz). */
export const demoProfile = BusinessProfile.parse(demoBusinessProfile);

/** A lead as the store returns it, Maria by default. */
export const aLead = (overrides: Partial<Lead> = {}): Lead => ({
  leadId: LEAD_ID,
  contact: '+15125550123',
  channel: 'sms',
  phone: '+15125550123',
  name: 'Maria Lopez',
  timeZone: 'America/Chicago',
  status: 'engaged',
  createdAt: '2026-11-21T15:04:05.000Z',
  updatedAt: '2026-11-21T15:04:07.000Z',
  firstInboundAt: '2026-11-21T15:04:05.000Z',
  known: {},
  ...overrides,
});

/** A message of the lead's conversation. */
export const aMessage = (overrides: Partial<LeadMessage> & Pick<LeadMessage, 'messageId'>): LeadMessage => ({
  leadId: LEAD_ID,
  direction: 'out',
  channel: 'sms',
  body: 'Thanks for reaching out!',
  at: '2026-11-21T15:04:06.000Z',
  status: 'sent',
  ...overrides,
});

/** A catalog event as the timeline records it (its sample detail, with overrides), at `time`. */
export const recorded = <E extends EventDefinition>(
  event: E,
  time: string,
  overrides: Record<string, unknown> = {},
): RecordedEvent =>
  toRecordedEvent({
    detailType: event.detailType,
    detail: sampleDetail(event as never, overrides as never) as { leadId: string; correlationId: string },
    eventId: `evt-${event.detailType.replaceAll(' ', '-')}-${time}`,
    time,
  });
