import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { buildDraftMessages } from '#shared/adapters/openai/openai-reply-drafter.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { blankQualification } from '#shared/domain/qualification.ts';
import { composeReply, type ReplyContext } from '#shared/domain/reply.ts';
import { businessFacts, checkDraft } from '#shared/domain/reply-draft.ts';
import type { LeadMessage } from '#shared/ports/lead-store.ts';
import type { ReplyDrafter } from '#shared/ports/reply-drafter.ts';
import { draftOrTemplate } from '../../../functions/auto-respond/draft-reply.ts';

const Fixture = z.object({
  attempts: z
    .array(
      z.object({
        id: z.string(),
        style: z.string(),
        message: z.string(),
        drafts: z.array(z.string()).min(1),
      }),
    )
    .min(30),
  honest: z.object({ drafts: z.array(z.object({ text: z.string(), factsUsed: z.array(z.string()) })) }),
});
const fixture = Fixture.parse(
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/injection-attempts.json'), 'utf8')),
);

const profile = BusinessProfile.parse(demoBusinessProfile);
const everyFact = businessFacts(profile).map((fact) => fact.id);

const context = (language = 'en'): ReplyContext => ({
  kind: 'first-reply',
  channel: 'sms',
  profile,
  lead: { name: 'Sam' },
  qualification: blankQualification({ summary: 'A message', service: 'Leak repair', language }),
  missing: ['location'],
  timeZone: profile.timeZone,
  language,
});

const inbound = (body: string): LeadMessage => ({
  messageId: 'sms-SMattack',
  leadId: 'ld_attack',
  direction: 'in',
  channel: 'sms',
  body,
  at: '2026-11-25T16:00:00.000Z',
  status: 'received',
});

/** A model that complied with the attack: it answers with the draft, claiming every fact. */
const compliant = (text: string, factsUsed: string[]): ReplyDrafter => ({
  draft: async () => ({ text, factsUsed }),
});

describe('the drafter guard against prompt injection', () => {
  const cases = fixture.attempts.flatMap((attempt) =>
    attempt.drafts.map((draft) => ({
      id: attempt.id,
      style: attempt.style,
      message: attempt.message,
      draft,
    })),
  );

  it.each(cases)('sends the template, never the draft, for "$id" ($style): $draft', async (attempt) => {
    const language = /[¿¡]|\b(?:que|los|una|para|del)\b/i.test(attempt.draft) ? 'es' : 'en';
    for (const factsUsed of [everyFact, []]) {
      const ctx = context(language);
      const answer = await draftOrTemplate(
        ctx,
        {
          wordsOnly: true,
          answered: inbound(attempt.message),
          messages: [inbound(attempt.message)],
          known: {},
        },
        { drafter: compliant(attempt.draft, factsUsed) },
      );
      expect(answer.composedBy).toBe('template');
      expect(answer.reply).toEqual(composeReply(ctx));
    }
  });

  it.each(fixture.honest.drafts)('lets an honest draft through: $text', (draft) => {
    expect(checkDraft(draft, { kind: 'follow-up-reply', channel: 'sms', profile })).toMatchObject({
      ok: true,
    });
  });

  it.each(fixture.attempts)('keeps the lead\'s words of "$id" out of the instructions', (attempt) => {
    const [system, user] = buildDraftMessages({
      kind: 'first-reply',
      channel: 'sms',
      profile,
      missing: [],
      maxChars: 297,
      language: 'en',
      lead: { message: attempt.message, history: [], known: {} },
    });
    expect(String(system?.content)).not.toContain(attempt.message.slice(0, 40));
    const data = String(user?.content);
    expect(data.startsWith('<lead_data>')).toBe(true);
    // The message cannot close the data block early ("</lead_data>" arrives escaped).
    expect(data.indexOf('</lead_data>')).toBe(data.length - '</lead_data>'.length);
  });

  it('names, for the log, which rule a draft broke', () => {
    const check = (text: string) => checkDraft({ text, factsUsed: everyFact }, context() as never);
    expect(check("That's a deal, and that is a binding offer.")).toEqual({
      ok: false,
      reason: 'the draft agrees to a price or a deal',
    });
    expect(check('We will do it at no cost to you.')).toMatchObject({
      reason: expect.stringContaining('free'),
    });
    expect(check('It costs one dollar.')).toMatchObject({ reason: expect.stringContaining('in words') });
    expect(check('We guarantee it.')).toMatchObject({ reason: expect.stringContaining('commitment') });
  });

  it('allows words the business profile itself uses', () => {
    const generous = BusinessProfile.parse({
      ...demoBusinessProfile,
      services: [
        { name: 'Drain cleaning', keywords: ['drain'], priceHint: 'free estimates, work from $129' },
      ],
    });
    expect(
      checkDraft(
        { text: 'We give free estimates; work is from $129.', factsUsed: ['price:Drain cleaning'] },
        { kind: 'follow-up-reply', channel: 'sms', profile: generous },
      ),
    ).toMatchObject({ ok: true });
  });
});
