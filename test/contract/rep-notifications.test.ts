import { describe, expect, it } from 'vitest';
import { TransientError } from '#shared/ports/errors.ts';
import type { HeldRepNotification } from '#shared/ports/lead-store.ts';
import { dispatchRepNotifications } from '../../functions/send-held/rep-notifications.ts';
import { useTestLeadStore } from '../support/dynamo.ts';

const MORNING = new Date('2026-11-25T14:00:00Z');

describe('rep notifications held for notify hours, against DynamoDB', () => {
  const db = useTestLeadStore();

  const held = (id: string, sendAt = MORNING.toISOString()): HeldRepNotification => ({
    id,
    repId: 'rep-a',
    to: '+15125550999',
    body: `Hot lead ${id}`,
    sendAt,
    leadId: 'ld_1',
    correlationId: `sms-${id}`,
    alert: 'hot-lead',
  });

  /** An SMS sender that records the bodies it sends. */
  const recordingSms = (bodies: string[]) => ({
    send: async (m: { body: string }) => {
      bodies.push(m.body);
      return { providerMessageId: `SM${bodies.length}` };
    },
  });

  const run = (sms: { send: (m: { body: string }) => Promise<{ providerMessageId: string }> }, now: Date) => {
    const events: unknown[] = [];
    return {
      events,
      sent: dispatchRepNotifications({
        store: db.store,
        sms,
        smsNumber: '+15125550100',
        publisher: { publish: async (_event, detail) => void events.push(detail) },
        logger: { warn: () => undefined },
        now,
      }),
    };
  };

  it('sends a held notification once, when due, and announces it', async () => {
    await db.store.holdRepNotification(held('a'));
    await db.store.holdRepNotification(held('a'));
    const bodies: string[] = [];
    const sms = recordingSms(bodies);

    expect(await run(sms, new Date(MORNING.getTime() - 60_000)).sent).toBe(0);
    const first = run(sms, MORNING);
    expect(await first.sent).toBe(1);
    expect(first.events).toEqual([
      expect.objectContaining({ repId: 'rep-a', via: 'sms', reason: 'hot-lead' }),
    ]);
    expect(await run(sms, MORNING).sent).toBe(0);
    expect(bodies).toEqual(['Hot lead a']);
  });

  it('puts a notification back when the provider fails for now', async () => {
    await db.store.holdRepNotification(held('b'));
    const failing = { send: async () => Promise.reject(new TransientError('Twilio answered 503')) };
    await expect(run(failing, MORNING).sent).rejects.toThrow('503');
    const bodies: string[] = [];
    const sms = recordingSms(bodies);
    expect(await run(sms, MORNING).sent).toBe(1);
    expect(bodies).toEqual(['Hot lead b']);
  });
});
