import table from './data/rep-commands.json' with { type: 'json' };

/**
 * What a rep's text to the business number asks: `acknowledge` (the lead is theirs: the response
 * clock stops), `take-over` (the rep writes to the lead from now on: automatic replies stop),
 * `no-show` (the lead missed the meeting). Phrases: `data/rep-commands.json`.
 */
export type RepCommand = keyof typeof table.commands;

/** The reference an alert ends with, which a reply may repeat to name its lead: 4 hex characters of the lead id. */
export const alertReference = (leadId: string): string =>
  leadId.replace(/^ld_/, '').slice(0, 4).toUpperCase();

const PHRASES = new Map<string, RepCommand>(
  Object.entries(table.commands).flatMap(([command, phrases]) =>
    phrases.map((phrase) => [phrase, command as RepCommand] as const),
  ),
);

/**
 * A word a rep may mean as an alert's reference: letters and digits, as long as a reference or a
 * little more (a mistyped one is still read as one, so the rep hears it matches no alert).
 */
const REFERENCE = /^[\p{L}\p{N}]{1,8}$/u;

/**
 * Reads a rep's text: the command and the alert reference it names, if any ("OK", "ok 4f2a",
 * "TAKE 4F2A!", "👍", "take zzzz": a reference that may match no alert). A whole phrase is read
 * first ("take it" is a command, not TAKE with the reference IT). Case, apostrophes and
 * punctuation do not matter. Null for anything else (a question, a long message): the rep is told
 * what the commands are.
 */
export const readRepCommand = (text: string): { command: RepCommand; reference?: string } | null => {
  const words = text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}\p{Extended_Pictographic}\s-]/gu, ' ')
    .split(/[\s-]+/)
    .filter(Boolean);
  const whole = PHRASES.get(words.join(' '));
  if (whole) return { command: whole };
  const last = words.at(-1);
  if (!last || words.length < 2 || !REFERENCE.test(last)) return null;
  const command = PHRASES.get(words.slice(0, -1).join(' '));
  return command ? { command, reference: last.toUpperCase() } : null;
};
