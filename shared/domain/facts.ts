import type { Qualification, Urgency } from '#shared/domain/qualification.ts';
import type { KnownFacts, Meeting } from '#shared/ports/lead-store.ts';

const URGENCY_RANK: Readonly<Record<Urgency, number>> = { normal: 0, urgent: 1, emergency: 2 };

/** The more pressing of two urgencies: a lead's urgency never decays by being mentioned less. */
export const higherUrgency = (a: Urgency | undefined, b: Urgency): Urgency =>
  a !== undefined && URGENCY_RANK[a] >= URGENCY_RANK[b] ? a : b;

/**
 * The facts known after one more message: what it says adds to or refines what earlier messages
 * said (a new town replaces the old one: the lead corrected it), and what it does not say leaves
 * the earlier fact as it was. Urgency only rises. Language follows the latest message.
 */
export const mergeFacts = (known: KnownFacts, q: Qualification): KnownFacts => {
  const merged: KnownFacts = {
    ...known,
    ...(q.need && { need: q.need }),
    ...(q.service && { service: q.service }),
    ...(q.location && { location: q.location }),
    ...(q.timing !== 'unknown' && { timing: q.timing }),
    ...(q.budget && { budget: q.budget }),
    urgency: higherUrgency(known.urgency, q.urgency),
    language: q.language,
    ...(q.preferredDate && { preferredDate: q.preferredDate }),
    ...(q.preferredPartOfDay && { preferredPartOfDay: q.preferredPartOfDay }),
  };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as KnownFacts;
};

/** A message reports an emergency the conversation had not: the rep must hear of it at once. */
export const isNewEmergency = (before: KnownFacts, q: Qualification): boolean =>
  q.urgency === 'emergency' && before.urgency !== 'emergency';

/** The lead's booked meeting still ahead of `now` (not cancelled), the soonest first; or undefined. */
export const upcomingMeeting = (meetings: ReadonlyArray<Meeting>, now: Date): Meeting | undefined =>
  meetings
    .filter((meeting) => !meeting.cancelled && Date.parse(meeting.end) > now.getTime())
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0];
