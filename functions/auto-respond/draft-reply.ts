import { describeFailure } from '#shared/adapters/openai/describe-failure.ts';
import {
  type ComposedReply,
  composeReply,
  composeWithBody,
  type ReplyContext,
  smsFooterFor,
} from '#shared/domain/reply.ts';
import { checkDraft, DRAFTABLE_KINDS, draftMaxChars } from '#shared/domain/reply-draft.ts';
import type { LeadMessage } from '#shared/ports/lead-store.ts';
import type { ComposedBy, DraftRequest, ReplyDrafter } from '#shared/ports/reply-drafter.ts';

/** The part of a logger drafting needs (Powertools' `Logger` fits it). */
export interface DraftLogger {
  warn(message: string, ...attributes: Array<Record<string, unknown>>): void;
}

export interface Conversation {
  /**
   * The reply is words only: no slots, booking link or booking to state (those keep their
   * exact wording, and a model must not restate times or links).
   */
  wordsOnly: boolean;
  /** The inbound message being answered. */
  answered: LeadMessage | undefined;
  /** The lead's messages, in and out, oldest first. */
  messages: ReadonlyArray<LeadMessage>;
  known: DraftRequest['lead']['known'];
}

/**
 * The reply to send: the model's draft when there is a drafter, the reply is a free-text answer
 * (no slots, no booking, no keyword confirmation: those keep their exact wording) and the draft
 * passes `checkDraft`; the template otherwise. Never throws because of the drafter: on any
 * failure it logs why and answers with the template.
 */
export const draftOrTemplate = async (
  ctx: ReplyContext,
  conversation: Conversation,
  deps: { drafter?: ReplyDrafter | undefined; logger?: DraftLogger | undefined },
): Promise<{ reply: ComposedReply; composedBy: ComposedBy }> => {
  const template = { reply: composeReply(ctx), composedBy: 'template' as const };
  const { answered } = conversation;
  const draftable =
    conversation.wordsOnly &&
    DRAFTABLE_KINDS.has(ctx.kind) &&
    !ctx.slots?.length &&
    !ctx.meeting &&
    answered?.direction === 'in';
  if (!deps.drafter || !draftable || !answered) return template;
  const kind = ctx.kind === 'first-reply' ? 'first-reply' : 'follow-up-reply';

  let draft: Awaited<ReturnType<ReplyDrafter['draft']>>;
  try {
    draft = await deps.drafter.draft({
      kind,
      channel: ctx.channel,
      profile: ctx.profile,
      missing: ctx.missing,
      maxChars: draftMaxChars(kind, ctx.channel, smsFooterFor(ctx)),
      language: ctx.language ?? 'en',
      lead: {
        name: ctx.lead.name ?? ctx.qualification?.name ?? undefined,
        message: answered.body,
        subject: answered.subject,
        history: conversation.messages
          .filter((m) => m.at < answered.at && (m.direction === 'in' || m.status === 'sent'))
          .map((m) => ({ direction: m.direction, body: m.body })),
        known: conversation.known,
      },
    });
  } catch (error) {
    deps.logger?.warn('Reply draft failed; sending the template', {
      purpose: ctx.kind,
      error: describeFailure(error),
    });
    return template;
  }
  const checked = checkDraft(draft, {
    kind,
    channel: ctx.channel,
    profile: ctx.profile,
    footer: smsFooterFor(ctx),
  });
  if (!checked.ok) {
    // The reason names the rule broken, never the draft's words.
    deps.logger?.warn('Reply draft rejected; sending the template', {
      purpose: ctx.kind,
      reason: checked.reason,
      factsUsed: draft.factsUsed,
    });
    return template;
  }
  return { reply: composeWithBody(ctx, checked.text), composedBy: 'openai' };
};
