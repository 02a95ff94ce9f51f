import { describe, expect, it } from 'vitest';
import { readSendGridEvent, SendGridEventBatch } from '../../../functions/email-events/sendgrid-events.ts';
import { sendGridEvent } from '../../fakes/sendgrid-fake.ts';

const ours = { leadId: 'ld_1', messageId: 'out-first-reply-email-1' };
const at = 1_790_000_000;
const read = (event: string, fields: Record<string, unknown> = {}) =>
  readSendGridEvent(
    sendGridEvent(event, {
      email: 'Tom.Baker@Example.com',
      ...ours,
      sgEventId: 'ev-1',
      timestamp: at,
      ...fields,
    }),
  );
const action = (result: ReturnType<typeof readSendGridEvent>) => {
  if (result.kind !== 'action') throw new Error(`expected an action, got ${result.kind}`);
  return result.action;
};

describe('readSendGridEvent', () => {
  it('records a delivery on our message, with the receiving server’s answer', () => {
    expect(action(read('delivered', { response: '250 OK' }))).toEqual({
      eventId: 'ev-1',
      event: 'delivered',
      email: 'tom.baker@example.com',
      at: new Date(at * 1000).toISOString(),
      message: ours,
      delivery: {
        status: 'delivered',
        at: new Date(at * 1000).toISOString(),
        reason: '250 OK',
        providerEventId: 'ev-1',
        providerMessageId: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
      },
    });
  });

  it('records a deferral without touching the address', () => {
    const deferred = action(read('deferred', { response: '400 try again later', attempt: '5' }));
    expect(deferred.delivery?.status).toBe('deferred');
    expect(deferred.contact).toBeUndefined();
  });

  it('marks a bounced address unreachable, with the classification and reason', () => {
    const bounce = action(
      read('bounce', {
        type: 'bounce',
        bounce_classification: 'Invalid Address',
        reason: '550 5.1.1 The email account that you tried to reach does not exist.',
        status: '5.1.1',
      }),
    );
    expect(bounce.delivery?.status).toBe('bounced');
    expect(bounce.contact).toEqual({
      kind: 'unreachable',
      reason: 'Invalid Address: 550 5.1.1 The email account that you tried to reach does not exist.',
    });
  });

  it('records a blocked bounce on the message but keeps the address reachable', () => {
    const blocked = action(read('bounce', { type: 'blocked', reason: '554 IP listed on a blocklist' }));
    expect(blocked.delivery).toMatchObject({
      status: 'bounced',
      reason: 'blocked: 554 IP listed on a blocklist',
    });
    expect(blocked.contact).toBeUndefined();
  });

  it.each([
    ['Bounced Address', 'unreachable'],
    ['Invalid', 'unreachable'],
    ['Unsubscribed Address', 'opted-out'],
    ['Spam Reporting Address', 'opted-out'],
  ])('reads a drop for "%s" as %s', (reason, kind) => {
    const dropped = action(read('dropped', { reason }));
    expect(dropped.delivery).toMatchObject({ status: 'dropped', reason });
    expect(dropped.contact).toEqual({ kind, reason: `dropped: ${reason}` });
  });

  it('records a drop for our own fault without blaming the address', () => {
    const dropped = action(read('dropped', { reason: 'Invalid SMTPAPI header' }));
    expect(dropped.delivery?.status).toBe('dropped');
    expect(dropped.contact).toBeUndefined();
  });

  it.each(['spamreport', 'unsubscribe', 'group_unsubscribe'])('reads %s as an opt-out of email', (event) => {
    const optOut = action(read(event));
    expect(optOut.contact?.kind).toBe('opted-out');
    expect(optOut.delivery).toBeUndefined();
  });

  it.each(['processed', 'open', 'click', 'group_resubscribe', 'constructor'])('ignores %s', (event) => {
    expect(read(event)).toEqual({ kind: 'ignored', event });
  });

  it('reads an event of an email we did not tag, for its address only', () => {
    const bounce = action(
      readSendGridEvent(sendGridEvent('bounce', { email: 'rep@example.com', type: 'bounce', reason: '550' })),
    );
    expect(bounce.message).toBeUndefined();
    expect(bounce.contact?.kind).toBe('unreachable');
  });

  it('names an event without sg_event_id by a hash of its content', () => {
    const { sg_event_id: _id, ...withoutId } = sendGridEvent('dropped', {
      email: 'a@example.com',
      reason: 'Invalid',
    });
    const first = action(readSendGridEvent(withoutId));
    const again = action(readSendGridEvent({ ...withoutId }));
    expect(first.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again.eventId).toBe(first.eventId);
  });

  it('reports an event it acts on but cannot read, instead of guessing', () => {
    expect(read('bounce', { email: 'not an address' })).toMatchObject({
      kind: 'unreadable',
      problem: 'email: not an email address',
    });
    expect(read('delivered', { timestamp: 'yesterday' })).toMatchObject({ kind: 'unreadable' });
  });
});

describe('SendGridEventBatch', () => {
  it('accepts an array of events of any kind, keeping unknown fields', () => {
    const parsed = SendGridEventBatch.parse([{ event: 'account_status_change', type: 'compliance_suspend' }]);
    expect(parsed[0]).toEqual({ event: 'account_status_change', type: 'compliance_suspend' });
  });

  it('refuses what is not a non-empty array of events', () => {
    expect(SendGridEventBatch.safeParse({ event: 'delivered' }).success).toBe(false);
    expect(SendGridEventBatch.safeParse([]).success).toBe(false);
    expect(SendGridEventBatch.safeParse([{ email: 'a@example.com' }]).success).toBe(false);
  });
});
