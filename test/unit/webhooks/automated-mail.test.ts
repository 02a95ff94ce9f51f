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
    // A shop's robot that answered every reply and never stopped (issue 10): no Auto-Submitted header.
    ['an "Automated Response: Re:" subject', { subject: 'Automated Response: Re: Your quote' }],
    ['an automatic subject under reply prefixes', { subject: 'RE: AW: Automatische Antwort: Termin' }],
    ['a French automatic reply', { subject: 'Réponse automatique : absent' }],
    ['a Spanish automatic reply', { subject: 'Respuesta automática: Re: presupuesto' }],
    ['a Swedish automatic reply', { subject: 'Automatiskt svar: Offert' }],
    ['X-Auto-Response-Suppress (Exchange)', { headers: 'X-Auto-Response-Suppress: All' }],
    ['a list header', { headers: 'List-Unsubscribe: <mailto:u@shop.example>' }],
    ['auto_reply precedence', { headers: 'Precedence: auto_reply' }],
    ['a donotreply sender', { from: 'DoNotReply@shop.example' }],
    ['a do_not_reply sender', { from: 'do_not_reply@shop.example' }],
    ['a ne-pas-repondre sender', { from: 'ne-pas-repondre@boutique.example' }],
    ['a no.reply sender with a tag', { from: 'no.reply+orders@shop.example' }],
  ])('treats mail with %s as automated', (_what, overrides) => {
    expect(isAutomatedMail(mail(overrides))).toBe(true);
  });

  it.each([
    ['a plain enquiry', {}],
    ['Auto-Submitted: no', { headers: 'Auto-Submitted: no' }],
    ['a subject that merely mentions an office', { subject: 'Leak in my office bathroom' }],
    ['a sender named Noreen', { from: 'noreen@example.com' }],
    ['a subject about an absence', { subject: 'Absence of hot water since Monday' }],
    ['a subject about an auto shop', { subject: 'Auto shop needs a plumber' }],
  ])('treats %s as written by a person', (_what, overrides) => {
    expect(isAutomatedMail(mail(overrides))).toBe(false);
  });
});
