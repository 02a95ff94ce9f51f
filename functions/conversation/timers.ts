import { createHash } from 'node:crypto';

/** A short, stable digest of an id for a timer name (names are at most 64 characters). */
const digest = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 10);

/** The timer of a follow-up step: one per (lead, the message it follows, step), whatever retries. */
export const followUpTimer = (leadId: string, anchor: string, step: number) =>
  `fu-${leadId}-${digest(anchor)}-${step}`;

export type ReminderKind = 'day-before' | 'hour-before' | 'after-meeting';
export const REMINDER_KINDS: readonly ReminderKind[] = ['day-before', 'hour-before', 'after-meeting'];

/** The timer of a meeting's reminder: one per (meeting, kind). */
export const reminderTimer = (leadId: string, meetingId: string, kind: ReminderKind) =>
  `rm-${leadId}-${digest(meetingId)}-${kind}`;
