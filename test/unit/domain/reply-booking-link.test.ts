import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { blankQualification, type Qualification } from '#shared/domain/qualification.ts';
import { composeReply, FIRST_SMS_MAX_CHARS, type ReplyContext } from '#shared/domain/reply.ts';
import { isGsm7 } from '#shared/domain/sms-text.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const LINK = 'https://calendly.com/brightside-plumbing/estimate?name=Maria%20Lopez';
const kind = profile.meeting.kind;

const q = (overrides: Partial<Qualification> = {}): Qualification =>
  blankQualification({ summary: 'Can we schedule a visit?', wantsMeeting: true, ...overrides });

const ctx = (overrides: Partial<ReplyContext> = {}): ReplyContext => ({
  kind: 'slots-offered',
  channel: 'sms',
  profile,
  lead: { name: 'Maria Lopez' },
  qualification: q(),
  missing: [],
  slots: [],
  bookingUrl: LINK,
  timeZone: profile.timeZone,
  ...overrides,
});

describe('composeReply with a booking link', () => {
  it('offers the link in a text, with no slot numbers and no full stop after it', () => {
    const reply = composeReply(ctx());
    expect(reply.text).toBe(`Hi Maria, you can book a ${kind} with ${profile.name} here: ${LINK}`);
    expect(isGsm7(reply.text)).toBe(true);
    expect(reply.text).not.toMatch(/Reply 1/);
  });

  it('puts the link into a first reply, within two segments, with the opt-out line last', () => {
    const reply = composeReply(
      ctx({
        kind: 'first-reply',
        qualification: q({
          service: 'Leak repair',
          summary: 'How much to fix a leak? Can we set up a visit?',
        }),
        missing: ['location', 'name'],
      }),
    );
    expect(reply.text).toContain(`You can pick a time for a ${kind} here: ${LINK} `);
    expect(reply.text.endsWith('Reply STOP to opt out.')).toBe(true);
    expect(reply.text.length).toBeLessThanOrEqual(FIRST_SMS_MAX_CHARS);
    expect(isGsm7(reply.text)).toBe(true);
  });

  it('keeps the link and drops lesser lines when a first reply runs long', () => {
    const longLink = `https://calendly.com/brightside-plumbing/${'estimate-'.repeat(12)}?name=Maria`;
    const reply = composeReply(
      ctx({
        kind: 'first-reply',
        bookingUrl: longLink,
        qualification: q({ service: 'Leak repair', timing: 'urgent', summary: 'How much? Can we book?' }),
        missing: ['location', 'name'],
      }),
    );
    expect(reply.text).toContain(longLink);
    expect(reply.text.length).toBeLessThanOrEqual(FIRST_SMS_MAX_CHARS);
  });

  it('does not ask for an email the booking page asks for itself', () => {
    const withLink = composeReply(ctx({ kind: 'follow-up-reply', missing: ['email'] }));
    expect(withLink.text).not.toMatch(/email/i);
    const withoutLink = composeReply(
      ctx({ kind: 'follow-up-reply', missing: ['email'], bookingUrl: undefined }),
    );
    expect(withoutLink.text).toMatch(/email/i);
  });

  it('writes the link as a line of its own in the text part and as a link in the HTML part', () => {
    const reply = composeReply(ctx({ channel: 'email' }));
    expect(reply.subject).toBe(`${profile.name}: pick a time for your ${kind}`);
    expect(reply.text).toContain(`You can book a ${kind} with ${profile.name} here:\n${LINK}`);
    expect(reply.html).toContain(`<a href="${LINK}">${LINK}</a>`);
  });

  it('escapes the link in the HTML part', () => {
    const reply = composeReply(
      ctx({ channel: 'email', bookingUrl: 'https://cal.com/b/x?name=A&email=b%40c.d' }),
    );
    expect(reply.html).toContain('href="https://cal.com/b/x?name=A&amp;email=b%40c.d"');
  });
});
