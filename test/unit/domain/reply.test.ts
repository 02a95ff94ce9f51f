import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { blankQualification, type Qualification } from '#shared/domain/qualification.ts';
import {
  composeReply,
  describeHours,
  FIRST_SMS_MAX_CHARS,
  type MissingDetail,
  missingDetails,
  type ReplyContext,
} from '#shared/domain/reply.ts';
import { isGsm7 } from '#shared/domain/sms-text.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const ZONE = profile.timeZone;
const slots = [
  { start: new Date('2026-11-23T17:00:00Z'), end: new Date('2026-11-23T17:30:00Z') },
  { start: new Date('2026-11-23T20:00:00Z'), end: new Date('2026-11-23T20:30:00Z') },
  { start: new Date('2026-11-24T14:00:00Z'), end: new Date('2026-11-24T14:30:00Z') },
];

function q(overrides: Partial<Qualification> = {}): Qualification {
  return blankQualification({ summary: 'A message', ...overrides });
}

function ctx(overrides: Partial<ReplyContext> = {}): ReplyContext {
  return {
    kind: 'first-reply',
    channel: 'sms',
    profile,
    lead: {},
    missing: [],
    timeZone: ZONE,
    ...overrides,
  };
}

describe('missingDetails', () => {
  it('asks for at most two things, most important first', () => {
    expect(missingDetails(q(), {})).toEqual(['need', 'location']);
    expect(missingDetails(q({ need: 'clogged drain' }), {})).toEqual(['location', 'timing']);
    expect(missingDetails(q({ need: 'x', location: 'Austin' }), {})).toEqual(['timing', 'name']);
    expect(missingDetails(q({ need: 'x', location: 'Austin', timing: 'urgent' }), {})).toEqual(['name']);
  });

  it('counts what is already known about the lead', () => {
    expect(
      missingDetails(q({ timing: 'this_week' }), { need: 'drain', location: 'Austin', name: 'Jane' }),
    ).toEqual([]);
  });

  it('counts a matched service as a known need', () => {
    expect(missingDetails(q({ service: 'Leak repair' }), {})[0]).toBe('location');
  });

  it('does not ask when they need it once they want a meeting, and asks for email then', () => {
    const wants = q({ need: 'x', location: 'Austin', name: 'Jane', wantsMeeting: true });
    expect(missingDetails(wants, {})).toEqual(['email']);
    expect(missingDetails(wants, { email: 'jane@example.com' })).toEqual([]);
    expect(missingDetails(q({ need: 'x', location: 'Austin', name: 'Jane' }), {})).toEqual(['timing']);
  });
});

describe('composeReply: first SMS reply', () => {
  it('greets by name, names the service as the profile writes it, offers a next step and ends with the opt-out line', () => {
    const reply = composeReply(
      ctx({ lead: { name: 'Jane Doe' }, qualification: q({ service: 'Leak repair' }) }),
    );
    expect(reply.text).toBe(
      "Hi Jane, thanks for contacting Brightside Plumbing! We can help with that: Leak repair. Would you like us to set up a call? Reply YES and we'll send you times. Reply STOP to opt out.",
    );
    expect(reply.subject).toBeUndefined();
    expect(reply.html).toBeUndefined();
  });

  it('gives the price hint only when the lead asked about price', () => {
    const asked = composeReply(
      ctx({
        qualification: q({
          service: 'Drain cleaning',
          summary: 'How much to unclog a drain?',
          questions: ['price'],
        }),
      }),
    );
    expect(asked.text).toContain('Drain cleaning, from $129.');
    const notAsked = composeReply(
      ctx({ qualification: q({ service: 'Drain cleaning', summary: 'My drain is slow' }) }),
    );
    expect(notAsked.text).not.toContain('$129');
  });

  it('promises a quote when the lead asked about price and the service has no price hint', () => {
    const reply = composeReply(
      ctx({
        qualification: q({
          service: 'Bathroom remodel',
          need: 'what does a remodel cost',
          questions: ['price'],
        }),
      }),
    );
    expect(reply.text).toContain("We'll give you a clear quote.");
  });

  it('says politely when the lead is outside the service area', () => {
    const reply = composeReply(ctx({ qualification: q({ service: 'Leak repair', location: 'Dallas, TX' }) }));
    expect(reply.text).toContain(
      "We mainly serve Austin, TX and surrounding towns, so we'll check whether we can get to Dallas, TX.",
    );
    const inside = composeReply(
      ctx({ qualification: q({ service: 'Leak repair', location: 'Round Rock' }) }),
    );
    expect(inside.text).not.toContain('mainly serve');
  });

  it('asks for what is missing, two things in one question', () => {
    expect(composeReply(ctx({ missing: ['need', 'location'] })).text).toContain(
      "Could you tell us what you need help with and the town or ZIP code you're in?",
    );
    expect(composeReply(ctx({ missing: ['timing'] })).text).toContain('When do you need this done?');
  });

  it('offers numbered slots and says how to pick one', () => {
    const reply = composeReply(ctx({ qualification: q({ wantsMeeting: true }), slots }));
    expect(reply.text).toContain(
      '1) Mon Nov 23, 11:00 AM CST 2) Mon Nov 23, 2:00 PM CST 3) Tue Nov 24, 8:00 AM CST. Reply 1, 2 or 3 to book.',
    );
    expect(composeReply(ctx({ slots: slots.slice(0, 2) })).text).toContain('Reply 1 or 2 to book.');
    expect(composeReply(ctx({ slots: slots.slice(0, 1) })).text).toContain('Reply 1 to book it.');
  });

  const heavy: Array<[string, Partial<ReplyContext>]> = [
    ['a bare enquiry', {}],
    [
      'an urgent lead with everything',
      {
        lead: { name: 'Bartholomew-Maximilian' },
        qualification: q({
          service: 'Water heater',
          timing: 'urgent',
          summary: 'How much for a new water heater? Mine burst',
          location: 'Somewhere Very Far Away Township, Nevada',
        }),
        missing: ['timing', 'name'] as MissingDetail[],
        slots,
      },
    ],
    [
      'a long business name',
      {
        profile: { ...profile, name: 'Brightside Plumbing, Heating & Drain Services of Greater Austin' },
        qualification: q({ service: 'Leak repair', location: 'Dallas' }),
        missing: ['need', 'location'] as MissingDetail[],
        slots,
      },
    ],
  ];

  it.each(heavy)('fits %s in two GSM-7 segments and keeps the opt-out line', (_label, overrides) => {
    const reply = composeReply(ctx(overrides));
    expect(reply.text.length).toBeLessThanOrEqual(FIRST_SMS_MAX_CHARS);
    expect(isGsm7(reply.text)).toBe(true);
    expect(reply.text.endsWith('Reply STOP to opt out.')).toBe(true);
    expect(reply.text).not.toMatch(/https?:\/\//);
  });

  it.each([
    ['Zoë “Zo” 🙂', 'Zoë'],
    ['张伟', '张伟'],
    ['محمد', 'محمد'],
  ])('greets %j by the whole name %j and sends UCS-2 rather than drop a character', (name, greeted) => {
    const reply = composeReply(
      ctx({ lead: { name }, qualification: q({ service: 'Leak repair' }), missing: ['location'] }),
    );
    expect(reply.text.startsWith(`Hi ${greeted},`)).toBe(true);
    expect(reply.text.length).toBeLessThanOrEqual(FIRST_SMS_MAX_CHARS);
    expect(isGsm7(reply.text)).toBe(false);
  });

  it('keeps the outside-area note and the slots over lesser lines when space runs out', () => {
    const reply = composeReply(ctx(heavy[2]?.[1]));
    expect(reply.text).toContain('mainly serve');
    expect(reply.text).toContain('Reply 1, 2 or 3 to book.');
  });

  it('is deterministic', () => {
    const context = ctx({ lead: { name: 'Jane' }, qualification: q({ service: 'Leak repair' }), slots });
    expect(composeReply(context)).toEqual(composeReply(context));
  });
});

describe('composeReply: later SMS', () => {
  it('thanks the lead and offers a next step when nothing is missing', () => {
    const reply = composeReply(ctx({ kind: 'follow-up-reply', lead: { name: 'jane' } }));
    expect(reply.text).toBe(
      "Hi Jane, thanks for the details! Would you like us to set up a call? Reply YES and we'll send you times.",
    );
  });

  it('offers slots with the meeting kind', () => {
    const reply = composeReply(ctx({ kind: 'slots-offered', lead: { name: 'Jane' }, slots }));
    expect(reply.text).toBe(
      'Hi Jane, here are times for a call with Brightside Plumbing: 1) Mon Nov 23, 11:00 AM CST 2) Mon Nov 23, 2:00 PM CST 3) Tue Nov 24, 8:00 AM CST. Reply 1, 2 or 3 to book.',
    );
  });

  it('apologises and offers other times when the slot was taken', () => {
    const reply = composeReply(ctx({ kind: 'slot-taken', slots: slots.slice(1) }));
    expect(reply.text).toBe(
      'Sorry, that time was just taken. Here are other times: 1) Mon Nov 23, 2:00 PM CST 2) Tue Nov 24, 8:00 AM CST. Reply 1 or 2 to book.',
    );
  });

  it('confirms a booked meeting in the business zone and asks for an email when missing', () => {
    const reply = composeReply(
      ctx({ kind: 'meeting-booked', lead: { name: 'Jane' }, meeting: slots[0], missing: ['email'] }),
    );
    expect(reply.text).toBe(
      "Hi Jane, your call with Brightside Plumbing is booked for Mon Nov 23, 11:00 AM CST. Reply here if you need to change it. What's your email for the confirmation?",
    );
  });

  it('confirms an opt-out in the CTIA wording', () => {
    expect(composeReply(ctx({ kind: 'opt-out-confirmation' })).text).toBe(
      "You're unsubscribed from Brightside Plumbing texts. No more messages will be sent. Reply START to resubscribe.",
    );
  });

  it('confirms an opt-in and says how to stop again', () => {
    const text = composeReply(ctx({ kind: 'opt-in-confirmation' })).text;
    expect(text).toContain("You're resubscribed to Brightside Plumbing texts.");
    expect(text).toContain('STOP to opt out');
  });

  it('answers HELP with the business name, hours and how to opt out', () => {
    expect(composeReply(ctx({ kind: 'help' })).text).toBe(
      "Brightside Plumbing: send us your question and we'll get back to you. Hours: Mon-Sat 8am-6pm CT. Reply STOP to opt out.",
    );
  });

  it.each([
    'first-reply',
    'follow-up-reply',
    'slots-offered',
    'slot-taken',
    'meeting-booked',
    'opt-out-confirmation',
    'opt-in-confirmation',
    'help',
  ] as const)('writes %s in plain GSM-7', (kind) => {
    const text = composeReply(ctx({ kind, lead: { name: 'Renée' }, slots, meeting: slots[0] })).text;
    expect(isGsm7(text)).toBe(true);
    expect(text.length).toBeGreaterThan(0);
  });
});

describe('composeReply: email', () => {
  it('replies under "Re:" the inbound subject', () => {
    expect(composeReply(ctx({ channel: 'email', inboundSubject: 'Leaking water heater' })).subject).toBe(
      'Re: Leaking water heater',
    );
    expect(composeReply(ctx({ channel: 'email', inboundSubject: 'RE: Leak' })).subject).toBe('RE: Leak');
  });

  it('uses a default subject without one and never lets a line break into it', () => {
    expect(composeReply(ctx({ channel: 'email' })).subject).toBe(
      'Brightside Plumbing: thanks for reaching out',
    );
    expect(composeReply(ctx({ channel: 'email', inboundSubject: 'Hi\r\nBcc: x@evil.example' })).subject).toBe(
      'Re: Hi Bcc: x@evil.example',
    );
  });

  it('writes a text and an HTML part with slots as a numbered list and a sign-off', () => {
    const reply = composeReply(
      ctx({ channel: 'email', lead: { name: 'Jane' }, qualification: q({ service: 'Leak repair' }), slots }),
    );
    expect(reply.text).toBe(
      [
        'Hi Jane,',
        'Thanks for contacting Brightside Plumbing! We can help with that: Leak repair.',
        'We can set up a call at one of these times:\n1. Mon Nov 23, 11:00 AM CST\n2. Mon Nov 23, 2:00 PM CST\n3. Tue Nov 24, 8:00 AM CST\nReply with 1, 2 or 3 to book.',
        'Best regards,\nBrightside Plumbing',
      ].join('\n\n'),
    );
    expect(reply.html).toContain('<ol><li>Mon Nov 23, 11:00 AM CST</li>');
    expect(reply.text).not.toContain('STOP');
  });

  it('escapes text that came from the lead in the HTML part', () => {
    const reply = composeReply(
      ctx({
        channel: 'email',
        lead: { name: '<script>alert(1)</script>' },
        qualification: q({ location: 'Waco <img src=x> & "Co"' }),
      }),
    );
    expect(reply.html).not.toContain('<script');
    expect(reply.html).not.toContain('<img');
    expect(reply.html).toContain('Waco &lt;img src=x&gt; &amp; &quot;Co&quot;');
    expect(reply.html).toContain('Hi Scriptalertscript,');
  });

  it('does not ask an email lead for their email', () => {
    const reply = composeReply(
      ctx({ channel: 'email', kind: 'meeting-booked', meeting: slots[0], missing: ['email'] }),
    );
    expect(reply.text).not.toContain('email for the confirmation');
    expect(reply.subject).toBe('Brightside Plumbing: your call is booked');
  });
});

describe('describeHours', () => {
  it('writes opening days as ranges and times briefly', () => {
    expect(
      describeHours({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:30', close: '17:00' }, ZONE),
    ).toBe('Mon-Fri 8:30am-5pm CT');
    expect(
      describeHours(
        { days: ['mon', 'wed', 'fri', 'sat'], open: '12:00', close: '20:00' },
        'America/New_York',
      ),
    ).toBe('Mon, Wed, Fri-Sat 12pm-8pm ET');
  });
});
