/**
 * Formatting shared by the read API and the browser console (no Node.js or DOM dependencies).
 */

/** A duration as people read it: "0.8 s", "12 s", "3 min 5 s", "2 h 4 min", "3 d 2 h". */
export const formatDuration = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
};

/** Words for the qualifier's intents. */
export const INTENT_LABELS: Record<string, string> = {
  new_lead: 'new enquiry',
  reply: 'reply',
  spam: 'spam',
  opt_out: 'opt-out',
  opt_in: 'opt-in',
  help: 'help request',
  wrong_number: 'wrong number',
  auto_reply: 'automatic reply',
};

/** Words for the stages the console shows (`shownStage`: the conversation's, spam, wrong number), in the order of a conversation. */
export const STAGE_LABELS: Record<string, string> = {
  new: 'new',
  engaged: 'engaged',
  qualified: 'qualified',
  meeting_offered: 'meeting offered',
  booked: 'booked',
  handed_to_rep: 'with a rep',
  won: 'won',
  lost: 'lost',
  opted_out: 'opted out',
  spam: 'spam',
  wrong_number: 'wrong number',
};
