import type { BusinessProfile } from '#shared/config/business-profile.ts';
import type { MissingDetail } from '#shared/domain/reply.ts';

/** Who wrote a reply's words: the model (checked) or the templates. */
export type ComposedBy = 'openai' | 'template';

export interface DraftRequest {
  /** A first answer to a new lead, or an answer in an ongoing conversation. */
  kind: 'first-reply' | 'follow-up-reply';
  channel: 'sms' | 'email';
  profile: BusinessProfile;
  /** What to ask the lead next, most important first (our words, not the lead's). */
  missing: ReadonlyArray<MissingDetail>;
  /** The most characters the body may take. */
  maxChars: number;
  /** ISO 639-1 code of the lead's language: the reply is written in it. */
  language: string;
  /** Everything the lead wrote, or that was read from it: data, never instructions. */
  lead: {
    name?: string | undefined;
    message: string;
    subject?: string | undefined;
    /** Earlier messages, oldest first; `out` are the business's. */
    history: ReadonlyArray<{ direction: 'in' | 'out'; body: string }>;
    known: { need?: string; service?: string; location?: string; timing?: string; urgency?: string };
  };
}

export interface ReplyDraft {
  /** The body only: no sign-off, no opt-out footer (the composer adds them). */
  text: string;
  /** Ids of the business facts (`businessFacts`) the text relies on, e.g. `price:Drain cleaning`. */
  factsUsed: string[];
}

/**
 * Words a reply for one lead. Throws when it cannot (timeout, API error, refusal, an answer
 * outside the schema); the caller then sends the template, so a draft is never required.
 */
export interface ReplyDrafter {
  draft(request: DraftRequest): Promise<ReplyDraft>;
}
