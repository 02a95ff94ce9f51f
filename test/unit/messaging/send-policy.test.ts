import { describe, expect, it } from 'vitest';
import {
  decideSend,
  reminderWithdrawn,
  type SendPolicyInput,
  withdrawnOnRelease,
} from '#shared/messaging/send-policy.ts';

const NOW = new Date('2026-03-03T15:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();
const TEMPLATE = 'HX0123456789abcdef0123456789abcdef';

const input = (overrides: Partial<SendPolicyInput> = {}): SendPolicyInput => ({
  lead: { name: 'Ana Ruiz' },
  channel: 'whatsapp',
  purpose: 'follow-up-reply',
  kind: 'reply',
  messages: [{ direction: 'in', channel: 'whatsapp', status: 'received', at: hoursAgo(2) }],
  profile: { automaticAnswersPerDay: 3, whatsapp: { templates: {} } },
  now: NOW,
  ...overrides,
});

describe('decideSend', () => {
  it('sends free-form WhatsApp inside the 24-hour window', () => {
    expect(decideSend(input())).toEqual({ action: 'send' });
  });

  it("sends the business's approved template outside the window, with the lead's first name", () => {
    const decision = decideSend(
      input({
        messages: [{ direction: 'in', channel: 'whatsapp', status: 'received', at: hoursAgo(25) }],
        profile: {
          automaticAnswersPerDay: 3,
          whatsapp: { templates: { default: { contentSid: TEMPLATE } } },
        },
      }),
    );
    expect(decision).toEqual({
      action: 'send-template',
      contentSid: TEMPLATE,
      contentVariables: { '1': 'Ana' },
    });
  });

  it('suppresses with the reason when no template is approved for it outside the window', () => {
    const decision = decideSend(
      input({ messages: [{ direction: 'in', channel: 'sms', status: 'received', at: hoursAgo(1) }] }),
    );
    expect(decision).toEqual({
      action: 'suppress',
      reason: "outside WhatsApp's 24-hour window and no approved template for follow-up-reply",
    });
  });

  it('caps automatic answers to one address in 24 hours, on every channel', () => {
    const sent = (h: number) => ({
      direction: 'out' as const,
      channel: 'email' as const,
      status: 'sent' as const,
      at: hoursAgo(h),
    });
    const capped = input({ channel: 'email', messages: [sent(1), sent(2), sent(3)] });
    expect(decideSend(capped)).toMatchObject({
      action: 'suppress',
      reason: expect.stringContaining('cap is 3'),
    });
    expect(decideSend({ ...capped, messages: [sent(1), sent(2), sent(30)] })).toEqual({ action: 'send' });
    expect(decideSend({ ...capped, kind: 'opt-out-confirmation' })).toEqual({ action: 'send' });
  });
});

describe('a held text when its window opens', () => {
  const held = { purpose: 'follow-up-1', at: '2026-12-01T17:00:00.000Z' };
  it('withdraws a follow-up or a missed-call text-back once the lead has written since it was composed', () => {
    const wroteSince = [{ direction: 'in' as const, at: '2026-12-01T17:30:00.000Z' }];
    expect(withdrawnOnRelease(held, wroteSince)).toMatch(/the lead wrote since/);
    expect(withdrawnOnRelease({ ...held, purpose: 'missed-call' }, wroteSince)).toMatch(
      /the lead wrote since/,
    );
  });

  it('keeps it when the lead has not written since, and keeps answers and reminders whatever the lead wrote', () => {
    const before = [
      { direction: 'in' as const, at: '2026-12-01T16:00:00.000Z' },
      { direction: 'out' as const, at: '2026-12-01T17:30:00.000Z' },
    ];
    expect(withdrawnOnRelease(held, before)).toBeNull();
    const wroteSince = [{ direction: 'in' as const, at: '2026-12-01T17:30:00.000Z' }];
    expect(withdrawnOnRelease({ ...held, purpose: 'first-reply' }, wroteSince)).toBeNull();
    expect(withdrawnOnRelease({ ...held, purpose: 'reminder-day-before' }, wroteSince)).toBeNull();
  });
});

describe('a held meeting reminder when its window opens', () => {
  const held = { inReplyTo: 'rm-day-before-mtg-2026-12-02T15:00' };
  it('is withdrawn when its meeting was cancelled or moved meanwhile, or is gone', () => {
    const cancelled = [
      {
        meetingId: 'mtg-2026-12-02T15:00',
        cancelled: { at: '2026-12-01T20:00:00.000Z', reason: 'cancelled' as const },
      },
    ];
    expect(reminderWithdrawn(held, cancelled as never)).toMatch(/cancelled or moved/);
    expect(reminderWithdrawn(held, [])).toMatch(/cancelled or moved/);
    expect(reminderWithdrawn({ inReplyTo: 'rm-no-show-mtg-2026-12-02T15:00' }, cancelled as never)).toMatch(
      /cancelled or moved/,
    );
  });

  it('goes when its meeting stands, and says nothing of texts that are no reminders', () => {
    const standing = [{ meetingId: 'mtg-2026-12-02T15:00' }];
    expect(reminderWithdrawn(held, standing)).toBeNull();
    expect(reminderWithdrawn({ inReplyTo: 'sms-SM123' }, [])).toBeNull();
    expect(reminderWithdrawn({}, [])).toBeNull();
  });
});
