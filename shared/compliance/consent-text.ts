/**
 * How a message is read before the consent rules look at it: lines, clauses and words, in the
 * normalised form the consent data is written in (lower case, no accents, English contractions
 * joined, other apostrophes and hyphens read as spaces).
 */

/** Words of a clause, in the normalised form. */
export type Words = readonly string[];

const CONTRACTION = /([a-z])'(t|s|re|ll|ve|m|d)\b/g;
/** Where one clause ends and the next starts: sentence punctuation, separators, brackets. */
const CLAUSE_BREAK = /[.!?;,:|•·()[\]{}¡¿"“”«»]+|\s[-–—]+\s/;

/** Lower case, accents folded, apostrophes and hyphens resolved as the consent data expects. */
export function normaliseForMatching(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/\be-?mail/g, 'email')
    .replace(CONTRACTION, '$1$2')
    .replace(/&/g, ' and ')
    .replace(/['-]/g, ' ');
}

/**
 * The words of a piece of text: runs of letters and digits. Three or more single letters in a
 * row are read as one word, so a spelt-out "S T O P" is "stop".
 */
export function wordsOf(text: string): string[] {
  const raw = normaliseForMatching(text).match(/[a-z0-9]+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < raw.length; ) {
    let j = i;
    while (j < raw.length && /^[a-z]$/.test(raw[j] ?? '')) j++;
    if (j - i >= 3) {
      out.push(raw.slice(i, j).join(''));
      i = j;
    } else {
      out.push(raw[i] as string);
      i++;
    }
  }
  return out;
}

/** The clauses of one line, each as its words; empty clauses are left out. */
export function clausesOf(line: string): Words[] {
  return line
    .split(CLAUSE_BREAK)
    .map(wordsOf)
    .filter((words) => words.length > 0);
}

/** Lines of a message, line endings unified. */
export const linesOf = (text: string): string[] => text.replace(/\r\n?/g, '\n').split('\n');

/**
 * A word with repeated letters squeezed ("stopp", "stooop" → "stop"), so spelling that stutters
 * still meets a keyword. Applied to both the keyword and the message.
 */
export const squeeze = (word: string): string => word.replace(/([a-z])\1+/g, '$1');

/** The text of an email subject without reply and forward prefixes ("Re: Fwd: Stop" → "Stop"). */
export const subjectText = (subject: string): string =>
  subject.replace(/^(?:\s*(?:re|fwd?|aw|sv|tr|rv|res|enc)\s*:\s*)+/i, '');
