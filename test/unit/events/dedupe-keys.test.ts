import { describe, expect, it } from 'vitest';
import { LeadSyncedToCrm } from '#events/catalog.ts';
import { sampleDetail } from '#events/samples.ts';

describe('the facts consumers dedupe on', () => {
  it('keeps each CRM sync of one message a fact of its own: its stage moves twice, and each move syncs', () => {
    // One message moves the stage new → engaged → qualified: two syncs caused by two stage changes.
    const first = sampleDetail(LeadSyncedToCrm, {
      correlationId: 'sms-SM1',
      trigger: 'Conversation Stage Changed',
      triggerKey: 'Conversation Stage Changed#sms-SM1#Lead Qualified#engaged',
      created: true,
    });
    const second = {
      ...first,
      triggerKey: 'Conversation Stage Changed#sms-SM1#Lead Scored#qualified',
      created: false,
    };
    expect(LeadSyncedToCrm.dedupeKey(first)).not.toBe(LeadSyncedToCrm.dedupeKey(second));
    // A redelivery of the same trigger is the same fact.
    expect(LeadSyncedToCrm.dedupeKey({ ...first })).toBe(LeadSyncedToCrm.dedupeKey(first));
  });
});
