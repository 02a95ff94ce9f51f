import type { AnswerRoute, Conversation, LeadMessage, LeadStore } from '#shared/ports/lead-store.ts';

/**
 * One answer per burst. A lead who writes "Hello" / "I have a leaky faucet" / "We are in Austin"
 * in one breath gets one answer that takes all three into account, not three.
 *
 * A message's burst is the lead's messages since the last answer that went out (or was claimed,
 * or held) before it arrived. Within a burst:
 * - an action (a confirmation, a slot offer, a booking) is always answered: it carries something
 *   the lead asked for;
 * - a question (hours, prices, the area served…) is always answered;
 * - any other written answer (`conversation`) is given once, to the burst's latest such message,
 *   and not at all when the burst has an action whose answer goes out, which covers it (it is
 *   composed after the whole burst has been read, so it knows every fact the burst told).
 * The decision reads only the stored messages and what `qualify` recorded on each, so two
 * `auto-respond` invocations deciding for two messages of one burst at once agree, with no lock.
 */

/** Answers that have gone out, or will: they close the burst before them. */
const ANSWERED = new Set<LeadMessage['status']>(['sent', 'held', 'sending', 'unconfirmed']);

const isAnswerable = (m: LeadMessage) => m.direction === 'in' && !m.automated;

/** Conversation order: by receive time, then by id (two messages in the same millisecond). */
const isBefore = (a: LeadMessage, b: LeadMessage) =>
  a.at < b.at || (a.at === b.at && a.messageId < b.messageId);

/** The messages of `message`'s burst, itself included, oldest first. */
export const burstOf = (messages: readonly LeadMessage[], message: LeadMessage): LeadMessage[] => {
  const lastAnswerAt = messages
    .filter((m) => m.direction === 'out' && ANSWERED.has(m.status) && m.at <= message.at)
    .reduce((latest, m) => (m.at > latest ? m.at : latest), '');
  return messages
    .filter((m) => isAnswerable(m) && m.at > lastAnswerAt)
    .sort((a, b) => (isBefore(a, b) ? -1 : 1));
};

export type AnswerPlan = { answer: true } | { answer: false; by: string };

/**
 * Whether `answering` gets its own answer (`route` is how the pipeline answers it), or another
 * message of its burst answers for it (`by`). Messages `qualify` has not read yet count as
 * `unread` (the caller waits for them first; past its patience, as answered by nothing).
 */
export const planAnswer = (
  messages: readonly LeadMessage[],
  answering: string,
  route: AnswerRoute,
): AnswerPlan => {
  const message = messages.find((m) => m.messageId === answering);
  if (!message || route !== 'conversation') return { answer: true };
  // A question is answered, whatever else the burst carries.
  if (message.reading?.asks) return { answer: true };
  const burst = burstOf(messages, message);
  const routeOf = (m: LeadMessage) => (m.messageId === answering ? route : (m.reading?.answer ?? 'none'));
  // An action counts as the burst's answer while its answer goes (or may still go) out; one the
  // sending path held back (a repeated confirmation, an opt-out) answers nothing.
  const heldBack = new Set(
    messages
      .filter((m) => m.direction === 'out' && m.inReplyTo && !ANSWERED.has(m.status))
      .map((m) => m.inReplyTo),
  );
  // The burst's answer: its first action's, else its latest written answer's.
  const answerer =
    burst.find((m) => routeOf(m) === 'action' && !heldBack.has(m.messageId)) ??
    burst.filter((m) => routeOf(m) === 'conversation').at(-1) ??
    message;
  return answerer.messageId === answering ? { answer: true } : { answer: false, by: answerer.messageId };
};

/**
 * The unread messages of the burst the answer must still wait for: none once they are older than
 * `UNREAD_GIVE_UP_MS` (then they count as answered by nothing).
 */
export const awaitedInBurst = (
  messages: readonly LeadMessage[],
  answering: string,
  now: Date,
): LeadMessage[] =>
  unreadInBurst(messages, answering).filter((m) => now.getTime() - Date.parse(m.at) < UNREAD_GIVE_UP_MS);

/** Messages of the burst `qualify` has not read yet. */
export const unreadInBurst = (messages: readonly LeadMessage[], answering: string): LeadMessage[] => {
  const message = messages.find((m) => m.messageId === answering);
  return message ? burstOf(messages, message).filter((m) => !m.reading) : [];
};

/** How long an answer waits in place for the rest of its burst to be read: a few queue hops. */
export const SETTLE_PATIENCE_MS = 10_000;

/**
 * A message of the burst still unread this long after it arrived is taken to be stuck (its
 * `qualify` failing towards the DLQ): the answer stops waiting for it. Younger, the answer is
 * retried later instead (after a crash `qualify` resumes within a visibility timeout or two).
 */
export const UNREAD_GIVE_UP_MS = 10 * 60_000;

/**
 * The conversation's messages and the ones a webhook is accepting right now, which count as unread
 * messages of their burst: an answer waits for them.
 */
export const withPending = (conversation: Pick<Conversation, 'messages' | 'pending'>): LeadMessage[] => [
  ...conversation.messages,
  ...conversation.pending,
];

/**
 * The lead and its conversation once every message of `answering`'s burst has been read by
 * `qualify`, or once `patienceMs` ran out. A lone message is read already (its answer comes after
 * its reading), so a single message never waits: one read.
 */
export const settledConversation = async (
  store: Pick<LeadStore, 'getConversation'>,
  leadId: string,
  answering: string,
  options: { patienceMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<Conversation> => {
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + (options.patienceMs ?? SETTLE_PATIENCE_MS);
  let wait = 25;
  for (;;) {
    const conversation = await store.getConversation(leadId);
    if (unreadInBurst(withPending(conversation), answering).length === 0 || Date.now() >= deadline) {
      return conversation;
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 500);
  }
};
