import { timerName } from '#shared/ports/timers.ts';

/** The timer of a follow-up step: one per (lead, the message it follows, step), whatever retries. */
export const followUpTimer = (leadId: string, anchor: string, step: number) =>
  timerName('fu', leadId, anchor, step);

export type ReminderKind = 'day-before' | 'hour-before' | 'after-meeting';
export const REMINDER_KINDS: readonly ReminderKind[] = ['day-before', 'hour-before', 'after-meeting'];

/** The timer of a meeting's reminder: one per (meeting, kind). */
export const reminderTimer = (leadId: string, meetingId: string, kind: ReminderKind) =>
  timerName('rm', leadId, meetingId, kind);
