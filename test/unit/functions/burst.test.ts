import { describe, expect, it } from 'vitest';
import {
  awaitedInBurst,
  burstOf,
  planAnswer,
  UNREAD_GIVE_UP_MS,
  withPending,
} from '#functions/auto-respond/burst.ts';
import type { AnswerRoute, LeadMessage } from '#shared/ports/lead-store.ts';

const inbound = (id: string, at: string, answer?: AnswerRoute): LeadMessage => ({
  messageId: id,
  leadId: 'ld',
  direction: 'in',
  channel: 'sms',
  body: id,
  at: `2026-11-29T10:00:${at}.000Z`,
  status: 'received',
  ...(answer && { reading: { intent: 'reply', answer, at: `2026-11-29T10:00:${at}.000Z` } }),
});
const answer = (to: string, at: string, status: LeadMessage['status'] = 'sent'): LeadMessage => ({
  messageId: `out-${to}`,
  leadId: 'ld',
  direction: 'out',
  channel: 'sms',
  body: 'Thanks',
  at: `2026-11-29T10:00:${at}.000Z`,
  status,
  inReplyTo: to,
});

describe('one answer per burst', () => {
  it('answers a lone message', () => {
    const messages = [inbound('m1', '01', 'conversation')];
    expect(planAnswer(messages, 'm1', 'conversation')).toEqual({ answer: true });
  });

  it('answers only the latest of "Hello" / "leaky faucet" / "in Austin"', () => {
    const messages = [
      inbound('hello', '01', 'conversation'),
      inbound('faucet', '01', 'conversation'),
      inbound('austin', '02', 'conversation'),
    ];
    expect(planAnswer(messages, 'hello', 'conversation')).toEqual({ answer: false, by: 'austin' });
    expect(planAnswer(messages, 'faucet', 'conversation')).toEqual({ answer: false, by: 'austin' });
    expect(planAnswer(messages, 'austin', 'conversation')).toEqual({ answer: true });
  });

  it('lets an action answer the burst: a slot offer covers the words around it', () => {
    const messages = [
      inbound('hello', '01', 'conversation'),
      inbound('book', '02', 'action'),
      inbound('thanks', '03', 'conversation'),
    ];
    expect(planAnswer(messages, 'hello', 'conversation')).toEqual({ answer: false, by: 'book' });
    expect(planAnswer(messages, 'thanks', 'conversation')).toEqual({ answer: false, by: 'book' });
    expect(planAnswer(messages, 'book', 'action')).toEqual({ answer: true });
  });

  it('does not count spam or automatic mail in the burst as answered', () => {
    const messages = [inbound('need', '01', 'conversation'), inbound('spam', '02', 'none')];
    expect(planAnswer(messages, 'need', 'conversation')).toEqual({ answer: true });
  });

  it('starts a new burst after an answer went out', () => {
    const messages = [
      inbound('first', '01', 'conversation'),
      answer('first', '02'),
      inbound('second', '05', 'conversation'),
    ];
    expect(burstOf(messages, messages[2]!).map((m) => m.messageId)).toEqual(['second']);
    expect(planAnswer(messages, 'second', 'conversation')).toEqual({ answer: true });
  });

  it('keeps an answer claimed or held as closing its burst, but not a superseded one', () => {
    const messages = [
      inbound('a', '01', 'conversation'),
      answer('a', '02', 'superseded'),
      inbound('b', '03', 'conversation'),
      answer('b', '04', 'held'),
      inbound('c', '05', 'conversation'),
    ];
    expect(burstOf(messages, messages[2]!).map((m) => m.messageId)).toEqual(['a', 'b', 'c']);
    expect(burstOf(messages, messages[4]!).map((m) => m.messageId)).toEqual(['c']);
  });

  it('waits for unread messages of the burst, until they are too old to wait for', () => {
    const messages = [inbound('read', '01', 'conversation'), inbound('unread', '02')];
    const soon = new Date('2026-11-29T10:00:10.000Z');
    expect(awaitedInBurst(messages, 'read', soon).map((m) => m.messageId)).toEqual(['unread']);
    const late = new Date(Date.parse('2026-11-29T10:00:02.000Z') + UNREAD_GIVE_UP_MS);
    expect(awaitedInBurst(messages, 'read', late)).toEqual([]);
    // Given up on, an unread message counts as answered by nothing.
    expect(planAnswer(messages, 'read', 'conversation')).toEqual({ answer: true });
  });

  it('answers a question even when an action of its burst is answered ("2" + "are you licensed?")', () => {
    const slot = inbound('two', '01', 'action');
    const question: LeadMessage = {
      ...inbound('licensed', '01', 'conversation'),
      reading: { intent: 'reply', answer: 'conversation', asks: true, at: '2026-11-29T10:00:01.000Z' },
    };
    expect(planAnswer([slot, question], 'licensed', 'conversation')).toEqual({ answer: true });
  });

  it('does not let an action whose answer was held back (a repeated START) answer for the burst', () => {
    const messages = [
      inbound('start-again', '01', 'action'),
      answer('start-again', '02', 'suppressed'),
      inbound('softeners', '03', 'conversation'),
    ];
    // The suppressed answer closes nothing: the burst is both messages, and only the question is answered.
    expect(planAnswer(messages, 'softeners', 'conversation')).toEqual({ answer: true });
  });

  it('waits for a message a webhook is still accepting, as for an unread one', () => {
    const conversation = {
      messages: [inbound('read', '01', 'conversation')],
      pending: [inbound('accepting', '01')],
    };
    const now = new Date('2026-11-29T10:00:02.000Z');
    expect(awaitedInBurst(conversation.messages, 'read', now)).toEqual([]);
    expect(awaitedInBurst(withPending(conversation), 'read', now).map((m) => m.messageId)).toEqual([
      'accepting',
    ]);
  });
});
