import {
  ATTRIBUTION_OPENERS,
  FORWARD_MARKERS,
  HEADER_FIELDS,
  MOBILE_SIGNATURE_OPENERS,
  MOBILE_SIGNATURE_SUFFIXES,
  ORIGINAL_MESSAGE_SEPARATORS,
  SIGN_OFFS,
  WROTE_PHRASES,
} from './quote-vocabulary.ts';

/**
 * The lead's own words in a plain-text email: quoted history, quote headers, signatures and
 * mobile footers out; a forwarded request kept. Language knowledge is data (`quote-vocabulary.ts`);
 * this module holds only the layout rules that hold in every language:
 * - a block of `>` lines is history, and the lines just above it that end in a colon and carry a
 *   date or an address are its header ("Den 3 mars 2026 kl. 10:15 skrev Anna <…>:");
 * - an attribution line (one to three lines, "On …, Sam <…> wrote:") opens history;
 * - a header block ("From:"/"Sent:"/"To:"/"Subject:" in any of the languages) opens history;
 * - separators ("-----Original Message-----", Outlook's underscore line) open history;
 * - a forwarded message's header block goes, its text stays.
 */

const escapeRegExp = (word: string) => word.replace(/[.*+?^${}()[\]\\|]/g, '\\$&');
const alternatives = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');

const COLON = '[:：]';
/** "…, Sam Lee <sam@example.com> wrote:" / "… ha escrit :" / "…写道：" at the end of a line. */
const ENDS_WITH_WROTE = new RegExp(
  `(?:^|[\\s,，、>)\\]])(?:${alternatives(WROTE_PHRASES)})\\s*${COLON}?\\s*$`,
  'iu',
);
const STARTS_WITH_OPENER = new RegExp(`^(?:${alternatives(ATTRIBUTION_OPENERS)})(?:\\s|,)`, 'u');
/** "---- Sam Lee wrote ----" (Yahoo, some Android clients). */
const DASHED_ATTRIBUTION = new RegExp(
  `^-{2,}\\s*.{1,120}?\\s(?:${alternatives(WROTE_PHRASES)})\\s*-{2,}$`,
  'iu',
);
/** "2026-11-29 5:33 GMT-06:00 Sam Lee <sam@example.com>:" (Gmail in several locales). */
const ENDS_WITH_ADDRESS = /(?:<[^<>\s]+@[^<>\s]+>|\[mailto:[^\]\s]+\]|\S+@\S+\.\w+)\s*[:：]\s*$/u;
const SEPARATOR = new RegExp(
  `^[-=_*\\s]*(?:${alternatives(ORIGINAL_MESSAGE_SEPARATORS)})[-=_*\\s]*$|^_{10,}\\s*$|^-{20,}\\s*$`,
  'iu',
);
const FORWARD = new RegExp(`^[-=_*>\\s]*(?:${alternatives(FORWARD_MARKERS)})\\s*[-=_*:：]*\\s*$`, 'iu');
const field = (names: readonly string[]) =>
  new RegExp(`^\\*?\\s*(?:${alternatives(names)})\\s*\\*?\\s*${COLON}`, 'iu');
const FROM_FIELD = field(HEADER_FIELDS.from);
const ANY_FIELD = field([
  ...HEADER_FIELDS.sent,
  ...HEADER_FIELDS.to,
  ...HEADER_FIELDS.cc,
  ...HEADER_FIELDS.subject,
]);
const SUBJECT_FIELD = field(HEADER_FIELDS.subject);
/** Subject prefixes of a forward: Fwd, FW, WG (de), TR (fr), RV (es), I (it), Doorst (nl), VB (sv), VS (fi)… */
export const FORWARD_SUBJECT = /^\s*(?:fwd?|fw|wg|tr|rv|enc|i|doorst|vb|vs|vl|pd|fwd\.)\s*[:：]/i;

const QUOTE_LINE = /^\s*>/;
const isBlank = (line: string | undefined) => line === undefined || line.trim() === '';
const hasDateOrAddress = (text: string) => /\d|@/.test(text);

/** Whether `text` (one to three lines joined) is an attribution line. */
const isAttribution = (text: string): boolean => {
  const line = text.trim();
  if (line.length === 0 || line.length > 400) return false;
  if (DASHED_ATTRIBUTION.test(line)) return true;
  if (ENDS_WITH_WROTE.test(line) && (hasDateOrAddress(line) || STARTS_WITH_OPENER.test(line))) {
    // "On Tuesday the plumber wrote:" is a sentence; an attribution carries a date, time or address.
    return hasDateOrAddress(line);
  }
  return ENDS_WITH_ADDRESS.test(line) && /\d/.test(line.replace(/<[^>]*>|\[mailto:[^\]]*\]/g, ''));
};

/** How many lines from `i` (1–3) form an attribution, or 0. */
const attributionAt = (lines: readonly string[], i: number): number => {
  for (let count = 1; count <= 3 && i + count <= lines.length; count++) {
    const slice = lines.slice(i, i + count);
    if (slice.slice(1).some((l) => isBlank(l) || QUOTE_LINE.test(l))) break;
    if (isAttribution(slice.join(' '))) return count;
  }
  return 0;
};

/** A quoted message's header block starts at `i`: a From field and another field within 4 lines. */
const headerBlockAt = (lines: readonly string[], i: number): boolean => {
  if (!FROM_FIELD.test(lines[i] ?? '')) return false;
  for (let j = i + 1; j <= i + 4 && j < lines.length; j++) {
    if (ANY_FIELD.test(lines[j] ?? '')) return true;
  }
  return false;
};

type History =
  | { kind: 'none' }
  | { kind: 'quote' | 'header' | 'separator'; start: number; body: number }
  | { kind: 'forward'; start: number; body: number };

/**
 * Where the history starts (`start`: first line that is not the lead's) and where its own text
 * starts (`body`: after a separator or marker line).
 */
const findHistory = (lines: readonly string[]): History => {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (QUOTE_LINE.test(line)) return { kind: 'quote', start: headerAbove(lines, i), body: i };
    if (FORWARD.test(line.trim())) return { kind: 'forward', start: i, body: i + 1 };
    if (SEPARATOR.test(line.trim())) return { kind: 'separator', start: i, body: i + 1 };
    const attribution = attributionAt(lines, i);
    if (attribution > 0) return { kind: 'quote', start: i, body: i + attribution };
    if (headerBlockAt(lines, i)) return { kind: 'header', start: i, body: i };
  }
  return { kind: 'none' };
};

/**
 * The first line of the header above a `>` block at `quoteStart`: up to three non-blank lines just
 * above it (blank lines between allowed) that end in a colon and carry a date or an address, in
 * any language ("2026. márc. 3. 10:15 keltezéssel, Anna <…> írta:").
 */
const headerAbove = (lines: readonly string[], quoteStart: number): number => {
  let end = quoteStart - 1;
  while (end >= 0 && isBlank(lines[end])) end--;
  if (end < 0) return quoteStart;
  for (let count = 1; count <= 3 && end - count + 1 >= 0; count++) {
    const slice = lines.slice(end - count + 1, end + 1);
    if (slice.some(isBlank)) break;
    const joined = slice.join(' ').trim();
    if (/[:：]\s*$/.test(joined) && hasDateOrAddress(joined) && joined.length <= 400) return end - count + 1;
    if (isAttribution(joined)) return end - count + 1;
  }
  return quoteStart;
};

/** Lines after a forward marker or header block with the header fields (and blank lines) skipped. */
const skipHeaderBlock = (lines: readonly string[], from: number): number => {
  let i = from;
  while (i < lines.length && isBlank(lines[i])) i++;
  let sawField = false;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (FROM_FIELD.test(line) || ANY_FIELD.test(line)) {
      sawField = true;
      i++;
      // A folded field value (a long To: list) continues on indented lines.
      while (i < lines.length && /^\s+\S/.test(lines[i] ?? '') && !ANY_FIELD.test(lines[i] ?? '')) i++;
      continue;
    }
    if (sawField && isBlank(line)) {
      i++;
      break;
    }
    break;
  }
  return i;
};

const subjectOfHeaderBlock = (lines: readonly string[], from: number): string | undefined => {
  for (let i = from; i < Math.min(lines.length, from + 8); i++) {
    const line = lines[i] ?? '';
    if (SUBJECT_FIELD.test(line)) return line.replace(SUBJECT_FIELD, '').replace(/\*/g, '').trim();
  }
  return undefined;
};

/** Whole-line mobile footers: "Sent from my iPhone", "Von meinem iPhone gesendet", "Get Outlook for iOS". */
const MOBILE_OPENER = new RegExp(`^(?:${alternatives(MOBILE_SIGNATURE_OPENERS)})(?=\\s|$)`, 'iu');
const MOBILE_SUFFIX = new RegExp(`(?:^|\\s)(?:${alternatives(MOBILE_SIGNATURE_SUFFIXES)})\\.?$`, 'iu');

const isMobileSignature = (line: string): boolean => {
  const text = line
    .trim()
    .replace(/<https?:[^>]*>/g, '')
    .trim();
  if (text.length === 0 || text.length > 60) return false;
  const rest = MOBILE_OPENER.test(text) ? text.replace(MOBILE_OPENER, '') : undefined;
  if (rest === undefined)
    return /^(?:Von meinem|Verzonden (?:met|vanaf) mijn)\b/i.test(text) && MOBILE_SUFFIX.test(text);
  // A device or app name of a few words: no clause of the lead's own ("…, is much easier").
  const words = rest.trim().split(/\s+/).filter(Boolean);
  return words.length <= 6 && !/[,;!?]|\.\s|\.\S/.test(rest.replace(/\.$/, ''));
};

/** Lines after `i` are at most three short ones (a name, a title): what a signature looks like. */
const onlySignatureAfter = (lines: readonly string[], i: number, maxLines = 3): boolean => {
  const after = lines.slice(i + 1).filter((l) => !isBlank(l));
  return after.length <= maxLines && after.every((l) => l.trim().length <= 60);
};

const SIGN_OFF_LINE = new RegExp(`^(?:${alternatives(SIGN_OFFS)})\\s*[,.!]?$`, 'iu');
const NAME_LINE = /^[-~–—]?\s*\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,3}$/u;

/** Removes trailing signatures: `-- ` blocks, mobile footers, and a sign-off with a name under it. */
const stripSignature = (lines: string[]): string[] => {
  let end = lines.length;
  for (let i = 0; i < end; i++) {
    const line = lines[i] ?? '';
    // RFC 3676 §4.3: the signature separator is "-- " alone on its line. A markdown rule ("----")
    // is the lead's own text.
    if (/^--\s?$/.test(line) && i > 0) {
      end = i;
      break;
    }
    if (isMobileSignature(line) && onlySignatureAfter(lines, i)) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end);
  while (kept.length > 0 && isBlank(kept[kept.length - 1])) kept.pop();
  for (let i = Math.max(1, kept.length - 6); i < kept.length - 1; i++) {
    const after = kept.slice(i + 1).filter((l) => !isBlank(l));
    if (
      SIGN_OFF_LINE.test(kept[i]?.trim() ?? '') &&
      NAME_LINE.test(after[0]?.trim() ?? '') &&
      after.length <= 5 &&
      after.every((line) => line.trim().length <= 60)
    ) {
      return kept.slice(0, i);
    }
  }
  return kept;
};

const tidy = (lines: readonly string[]): string =>
  lines
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/**
 * The lead's words from a plain-text email body (`\n` line ends).
 *
 * @param text the text part, or the HTML part converted to text (blockquotes as `>` lines)
 * @param options.forwarded the mail's subject says it is a forward ("Fwd:", "WG:", "TR:"…): the
 *   first quoted message is the lead's request, kept without its header block
 * @returns the words, tidied; empty only when the mail holds no words of the lead's at all
 */
export const stripReply = (text: string, options: { forwarded?: boolean } = {}, depth = 0): string => {
  const lines = text.split('\n');
  const history = findHistory(lines);
  if (history.kind === 'none') return tidy(stripSignature(lines));

  const own = tidy(stripSignature(lines.slice(0, history.start)));
  const forwarded =
    history.kind === 'forward' ||
    ((history.kind === 'header' || history.kind === 'separator') &&
      (options.forwarded === true || FORWARD_SUBJECT.test(subjectOfHeaderBlock(lines, history.body) ?? '')));
  if (forwarded && depth < 3) {
    const body = lines.slice(skipHeaderBlock(lines, history.body));
    const request = stripReply(body.join('\n'), {}, depth + 1);
    return [own, request].filter(Boolean).join('\n\n');
  }
  if (own) return own;
  // Bottom-posting: the lead quoted first and wrote under the quote.
  if (history.kind === 'quote' && depth < 3) {
    const unquoted = lines.filter((line, i) => i >= history.body && !QUOTE_LINE.test(line));
    const below = stripReply(unquoted.join('\n'), {}, depth + 1);
    if (below) return below;
  }
  return '';
};
