import { describe, expect, it } from 'vitest';
import { LeadQualified, ReplySent } from '#events/catalog.ts';
import { sampleDetail } from '#events/samples.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import type { TimerRequest, Timers } from '#shared/ports/timers.ts';
import { trackConversation } from '../../functions/conversation/track.ts';
import { useTestLeadStore } from '../support/dynamo.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const AT = '2026-12-01T16:00:00.000Z';

/**
 * `conversation` dedupes by its own writes (no idempotency record): a redelivery of any event must
 * change nothing twice, and must finish what a crash interrupted.
 */
describe('the conversation function on a redelivered event, against DynamoDB', () => {
  const db = useTestLeadStore();

  const harness = (options: { failFirstSet?: boolean } = {}) => {
    const published: string[] = [];
    const set: TimerRequest[] = [];
    let failing = options.failFirstSet ?? false;
    const timers: Timers = {
      set: async (timer) => {
        if (failing) {
          failing = false;
          throw new Error('Scheduler unreachable (the invocation dies here)');
        }
        set.push(timer as TimerRequest);
        return true;
      },
      cancel: async () => {},
    };
    const deps = {
      store: db.store,
      timers,
      publisher: { publish: async (event: { detailType: string }) => void published.push(event.detailType) },
      profile,
    };
    return { deps, published, set };
  };

  const newLead = async (leadId: string) => {
    await db.store.recordInbound({
      leadId,
      contact: '+15125550123',
      channel: 'sms',
      phone: '+15125550123',
      timeZone: 'America/Chicago',
      message: { messageId: `sms-${leadId}`, channel: 'sms', body: 'My drain is clogged', at: AT },
    });
  };

  it('moves the stage and announces it once, however often the event comes', async () => {
    await newLead('ld_conv0000000000000001');
    const { deps, published } = harness();
    const event = {
      detailType: 'Lead Qualified' as const,
      detail: sampleDetail(LeadQualified, { leadId: 'ld_conv0000000000000001', intent: 'new_lead' }),
    };
    const replied = {
      detailType: 'Reply Sent' as const,
      detail: sampleDetail(ReplySent, {
        leadId: 'ld_conv0000000000000001',
        outboundMessageId: 'out-sms-ld_conv0000000000000001',
        purpose: 'first-reply',
        sentAt: AT,
      }),
    };
    await trackConversation(event, deps);
    await trackConversation(replied, deps);
    const announced = [...published];
    expect(announced.length).toBeGreaterThan(0);
    await trackConversation(replied, deps);
    await trackConversation(event, deps);
    expect(published).toEqual(announced);
    expect((await db.store.getLead('ld_conv0000000000000001'))?.stage).toBe('engaged');
  });

  it('sets the first follow-up’s timer on the redelivery when a crash came between the lead’s write and the timer', async () => {
    await newLead('ld_conv0000000000000002');
    const { deps, set } = harness({ failFirstSet: true });
    const replied = {
      detailType: 'Reply Sent' as const,
      detail: sampleDetail(ReplySent, {
        leadId: 'ld_conv0000000000000002',
        outboundMessageId: 'out-sms-ld_conv0000000000000002',
        purpose: 'first-reply',
        sentAt: AT,
      }),
    };
    await expect(trackConversation(replied, deps)).rejects.toThrow(/Scheduler unreachable/);
    const written = (await db.store.getLead('ld_conv0000000000000002'))?.followUp;
    expect(written).toMatchObject({ step: 1, anchor: 'out-sms-ld_conv0000000000000002' });
    await trackConversation(replied, deps);
    expect(set.map((t) => t.name)).toEqual([written!.timer]);
    expect(set[0]?.at.toISOString()).toBe(written!.dueAt);
  });
});
