import type { ConversationStage } from '#events/catalog.ts';
import type { Lead } from '#shared/ports/lead-store.ts';

/**
 * What moves a conversation, as the `conversation` function reads it from the bus:
 * - `lead-wrote` (Lead Qualified: a new lead or a reply), `lead-scored` (warm or hot is qualified);
 * - `reply-sent`, `slots-offered`, `meeting-booked`, `meeting-cancelled`, `meeting-moved`;
 * - `no-show` (a rep reported the lead missed the meeting);
 * - `opted-out`, `opted-in`; `rep-took-over`; `won`, `lost`.
 */
export type StageEvent =
  | { type: 'lead-wrote' }
  | { type: 'lead-scored'; grade: 'hot' | 'warm' | 'cold' }
  | { type: 'reply-sent' }
  | { type: 'slots-offered' }
  | { type: 'meeting-booked' }
  | { type: 'meeting-cancelled' }
  | { type: 'meeting-moved' }
  | { type: 'no-show' }
  | { type: 'opted-out' }
  | { type: 'opted-in' }
  | { type: 'rep-took-over' }
  | { type: 'won' }
  | { type: 'lost' };

/** How far along each stage is: automatic steps only move a conversation forward. */
const RANK: Readonly<Record<ConversationStage, number>> = {
  new: 0,
  engaged: 1,
  qualified: 2,
  meeting_offered: 3,
  booked: 4,
  handed_to_rep: 5,
  won: 6,
  lost: 6,
  opted_out: 7,
};

const forward = (current: ConversationStage, to: ConversationStage): ConversationStage =>
  RANK[to] > RANK[current] ? to : current;

/** What the lead's stored meetings say when a meeting event is read (events of one lead come in any order). */
export interface MeetingFacts {
  /** A meeting of the lead's is booked, not cancelled, not missed, and not over. */
  meetingAhead: boolean;
}

/**
 * The stage after an event (pure). Events may arrive late or twice (at least once, any order),
 * so automatic steps only move forward; the deliberate moves back are a cancelled meeting or a
 * no-show (to qualified), a moved one (to meeting offered), and an opt-in (out of opted out). Won and
 * lost end the conversation; an opt-out outranks everything, as law. A meeting event is judged
 * against the meetings as stored (`facts`), not its arrival order: a move's cancellation read after
 * its new booking keeps the lead booked, and a booking read after its own cancellation books nothing.
 */
export const nextStage = (
  current: ConversationStage | undefined,
  event: StageEvent,
  facts?: MeetingFacts,
): ConversationStage => {
  const stage = current ?? 'new';
  if (event.type === 'opted-out') return 'opted_out';
  if (stage === 'opted_out') return event.type === 'opted-in' ? 'engaged' : stage;
  if (stage === 'won' || stage === 'lost') return stage;
  switch (event.type) {
    case 'lead-wrote':
      return stage;
    case 'reply-sent':
    case 'opted-in':
      return forward(stage, 'engaged');
    case 'lead-scored':
      return event.grade === 'cold' ? forward(stage, 'engaged') : forward(stage, 'qualified');
    case 'slots-offered':
      return forward(stage, 'meeting_offered');
    case 'meeting-booked':
      return stage === 'handed_to_rep' || facts?.meetingAhead === false ? stage : 'booked';
    case 'meeting-cancelled':
    case 'no-show':
      return stage === 'booked' && !facts?.meetingAhead ? 'qualified' : stage;
    case 'meeting-moved':
      return stage === 'booked' && !facts?.meetingAhead ? 'meeting_offered' : stage;
    case 'rep-took-over':
      return 'handed_to_rep';
    case 'won':
      return 'won';
    case 'lost':
      return 'lost';
  }
};

/** Stages in which a lead who went quiet gets follow-ups: later ones have a meeting, a person, or an end. */
export const followsUp = (stage: ConversationStage | undefined): boolean =>
  stage === undefined ||
  stage === 'new' ||
  stage === 'engaged' ||
  stage === 'qualified' ||
  stage === 'meeting_offered';

/**
 * Whether Leadline follows up this lead by itself: its stage follows up (`followsUp`) and no person
 * has it. A lead routed to a rep (hot, or an emergency) was told someone will call; a rep who took
 * the conversation over speaks for the business. Automatic "just following up" texts then only
 * talk over the rep.
 */
export const followsUpLead = (lead: Pick<Lead, 'stage' | 'routing' | 'handedToRep'>): boolean =>
  followsUp(lead.stage) && !lead.routing && !lead.handedToRep;
