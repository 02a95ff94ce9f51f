import { readFileSync } from 'node:fs';
import * as z from 'zod';

const Texts = z.array(z.string().min(1)).min(1);

const SoakTextsSchema = z.object({
  source: z.string(),
  firstNames: Texts,
  lastNames: Texts,
  sms: z.object({
    openers: Texts,
    bursts: z.array(z.array(z.string().min(1)).min(2).max(3)).min(1),
    followUps: Texts,
    questions: Texts,
    slotChoices: Texts,
    closings: Texts,
    optOuts: Texts,
  }),
  email: z.object({
    openers: z.array(z.object({ subject: z.string().min(1), text: z.string().min(1) })).min(1),
    followUps: Texts,
    questions: Texts,
    slotChoices: Texts,
  }),
});

export type SoakTexts = z.infer<typeof SoakTextsSchema>;

/** The soak's message texts (`texts.json`, written for it), checked against their schema. */
export const soakTexts: SoakTexts = SoakTextsSchema.parse(
  JSON.parse(readFileSync(new URL('./texts.json', import.meta.url), 'utf8')),
);
