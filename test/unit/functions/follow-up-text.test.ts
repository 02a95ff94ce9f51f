import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import type { Lead } from '#shared/ports/lead-store.ts';
import { followUpText } from '../../../functions/conversation/follow-up.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const lead = (known: Lead['known'], language?: string): Lead =>
  ({
    leadId: 'ld_follow',
    contact: '+15125550410',
    channel: 'sms',
    phone: '+15125550410',
    timeZone: 'America/Chicago',
    status: 'new',
    createdAt: '2026-12-01T16:00:00.000Z',
    updatedAt: '2026-12-01T16:00:00.000Z',
    firstInboundAt: '2026-12-01T16:00:00.000Z',
    known: { ...known, ...(language && { language }) },
  }) as Lead;

describe('the words of a follow-up', () => {
  it('never repeats itself from one step to the next, whatever it asks', () => {
    for (const known of [{}, { need: 'a clogged drain' }, { need: 'a clogged drain', location: 'Austin' }]) {
      for (const language of [undefined, 'es']) {
        const texts = [1, 2].map((step) =>
          followUpText(lead(known, language), undefined, false, profile, step),
        );
        texts.push(followUpText(lead(known, language), undefined, true, profile, 3));
        expect(new Set(texts).size, JSON.stringify({ known, language, texts })).toBe(3);
      }
    }
  });
});
