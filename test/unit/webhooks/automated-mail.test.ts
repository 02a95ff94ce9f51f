import { describe, expect, it } from 'vitest';
import { isAutomatedMail } from '#functions/inbound-email/automated-mail.ts';

const mail = (overrides: { headers?: string; from?: string; subject?: string }) => ({
  headers: 'Message-ID: <a@b.example>\nFrom: x@example.com',
  from: 'jane@example.com',
  subject: 'Water heater',
  ...overrides,
});

describe('recognising mail written by a machine', () => {
  it.each([
    ['an Auto-Submitted header', { headers: 'Auto-Submitted: auto-replied\nFrom: x@example.com' }],
    ['an X-Autoreply header', { headers: 'X-Autoreply: yes' }],
    ['bulk precedence', { headers: 'Precedence: bulk' }],
    ['a mailer daemon', { from: 'MAILER-DAEMON@mx.example.com' }],
    ['a no-reply sender', { from: 'no-reply@shop.example' }],
    ['an Outlook automatic reply', { subject: 'Automatic reply: Water heater' }],
    ['an out-of-office subject', { subject: 'Out of Office: back Monday' }],
    ['a bounce subject', { subject: 'Undeliverable: Re: Your quote' }],
  ])('treats mail with %s as automated', (_what, overrides) => {
    expect(isAutomatedMail(mail(overrides))).toBe(true);
  });

  it.each([
    ['a plain enquiry', {}],
    ['Auto-Submitted: no', { headers: 'Auto-Submitted: no' }],
    ['a subject that merely mentions an office', { subject: 'Leak in my office bathroom' }],
    ['a sender named Noreen', { from: 'noreen@example.com' }],
  ])('treats %s as written by a person', (_what, overrides) => {
    expect(isAutomatedMail(mail(overrides))).toBe(false);
  });
});
