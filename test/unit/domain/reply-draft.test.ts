import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import type { ReplyKind } from '#shared/domain/reply.ts';
import { businessFacts, checkDraft, draftMaxChars } from '#shared/domain/reply-draft.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const sms = { kind: 'first-reply' as ReplyKind, channel: 'sms' as const, profile };
const check = (text: string, factsUsed: string[] = [], context = sms) =>
  checkDraft({ text, factsUsed }, context);

describe('businessFacts', () => {
  it('lists each service, each price hint, the hours, the area and the meeting, by id', () => {
    const ids = businessFacts(profile).map((fact) => fact.id);
    expect(ids).toEqual([
      'service:Drain cleaning',
      'price:Drain cleaning',
      'service:Water heater',
      'price:Water heater',
      'service:Leak repair',
      'price:Leak repair',
      'service:Bathroom remodel',
      'hours',
      'area',
      'meeting',
    ]);
  });
});

describe('checkDraft', () => {
  it('accepts a price written as the hint gives it, when the model says it used that hint', () => {
    expect(check('A new water heater installs from $1,200.', ['price:Water heater'])).toEqual({
      ok: true,
      text: 'A new water heater installs from $1,200.',
    });
  });

  it('rejects the same amount written as dollars when the hint was not used', () => {
    expect(check('Installs from 1200 dollars.', ['price:Drain cleaning']).ok).toBe(false);
  });

  it('rejects thousands written with a k', () => {
    expect(check('Installs run about $2k.', ['price:Water heater']).ok).toBe(false);
  });

  it('rejects a percentage and an offer of free work the profile does not make', () => {
    expect(check('We can take 10% off for you.').ok).toBe(false);
    expect(check('We will inspect it for free.').ok).toBe(false);
    expect(check('Happy to give you a discount.').ok).toBe(false);
  });

  it('lets a ZIP code and a time through, but not an email address', () => {
    expect(check('We serve 78613 and can come by at 8am.').ok).toBe(true);
    expect(check('Write to deals@brightside-offers.com.').ok).toBe(false);
  });

  it('judges an SMS by the text the lead receives: meaning-preserving replacements, nothing dropped', () => {
    expect(check('We\u2019re on it \u{1F527}')).toEqual({ ok: true, text: "We're on it \u{1F527}" });
  });

  it('leaves room for the opt-out footer on a first text only', () => {
    expect(draftMaxChars('first-reply', 'sms')).toBe(297);
    expect(draftMaxChars('follow-up-reply', 'sms')).toBe(320);
    const text = `${'a'.repeat(300)}.`;
    expect(check(text).ok).toBe(false);
    expect(check(text, [], { ...sms, kind: 'follow-up-reply' }).ok).toBe(true);
  });

  it('rejects an empty draft', () => {
    expect(check('   ')).toEqual({ ok: false, reason: 'the draft is empty' });
  });
});
