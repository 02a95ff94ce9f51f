import { decideConsentKeyword } from '#shared/compliance/consent-keywords.ts';
import type { Qualification, QualificationInput } from '#shared/domain/qualification.ts';

/**
 * Carrier keywords decide over any qualifier, because opt-out is law (FCC 24-24, CTIA):
 * - a STOP/START/HELP keyword sets the intent, whatever the qualifier read;
 * - a qualifier may find an opt-out in free text ("please stop texting me") and that stands;
 * - a qualifier may not opt a contact back in without the keyword: a model that was talked
 *   into `opt_in` would otherwise re-open messaging to someone who said STOP, so that intent is
 *   replaced by the deterministic rules' reading.
 * An opt-out never leads to a booking, so it also clears the meeting fields. (The rules are loaded
 * only for that case: a model's reading needs none of their lexicons.)
 */
export async function applyKeywordPrecedence(
  input: QualificationInput,
  qualification: Qualification,
): Promise<Qualification> {
  const keyword = decideConsentKeyword(input.body, { channel: input.channel, subject: input.subject });
  let intent = keyword ?? qualification.intent;
  if (keyword === null && intent === 'opt_in') {
    const { qualifyByRules } = await import('#shared/domain/rules-qualifier.ts');
    intent = qualifyByRules(input).intent;
  }
  if (intent === 'opt_out') {
    return { ...qualification, intent, wantsMeeting: false, slotChoice: null };
  }
  return intent === qualification.intent ? qualification : { ...qualification, intent };
}
