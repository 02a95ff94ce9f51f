import { describe, expect, it } from 'vitest';
import { readTextingSender } from '#shared/domain/texting-address.ts';

describe('readTextingSender', () => {
  it.each([
    ['+15125550181', { kind: 'phone', channel: 'sms', phone: '+15125550181' }],
    ['whatsapp:+15125550181', { kind: 'phone', channel: 'whatsapp', phone: '+15125550181' }],
    // Legacy Mexican mobile prefix on WhatsApp ids: +52 1 55… is +52 55….
    ['whatsapp:+5215512345678', { kind: 'phone', channel: 'whatsapp', phone: '+525512345678' }],
    ['whatsapp:+525512345678', { kind: 'phone', channel: 'whatsapp', phone: '+525512345678' }],
  ])('reads %s', (from, expected) => {
    expect(readTextingSender(from)).toEqual(expected);
  });

  it.each([
    ['72345', /short code \(5 digits\)/],
    ['MyBank', /alphanumeric sender ID/],
    ['whatsapp:abc', /alphanumeric/],
  ])('refuses %s with the reason', (from, reason) => {
    const sender = readTextingSender(from);
    expect(sender.kind).toBe('unanswerable');
    expect(sender.kind === 'unanswerable' && sender.reason).toMatch(reason);
  });
});
