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

const REFERENCE = /^[0-9a-f]{4}$/i;

/**
 * Reads a rep's text: the command and the alert reference it names, if any ("OK", "ok 4f2a",
 * "TAKE 4F2A!", "👍"). Case, apostrophes and punctuation do not matter. Null for anything else (a
 * question, a long message): the rep is told what the commands are.
 */
export const readRepCommand = (text: string): { command: RepCommand; reference?: string } | null => {
  const words = text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}\p{Extended_Pictographic}\s-]/gu, ' ')
    .split(/[\s-]+/)
    .filter(Boolean);
  const last = words.at(-1);
  const reference = last && words.length > 1 && REFERENCE.test(last) ? last.toUpperCase() : undefined;
  const phrase = (reference ? words.slice(0, -1) : words).join(' ');
  const command = PHRASES.get(phrase);
  if (!command) return null;
  return reference ? { command, reference } : { command };
};
