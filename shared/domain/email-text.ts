import EmailReplyParser from 'email-reply-parser';

/** Bounds the work spent on one email; a lead's own words never need more. */
const MAX_INPUT_CHARS = 100_000;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '-',
  mdash: '-',
  hellip: '...',
  lsquo: "'",
  rsquo: "'",
  ldquo: '"',
  rdquo: '"',
  copy: '(c)',
  reg: '(R)',
  trade: '(TM)',
};

export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code =
        entity[1] === 'x' || entity[1] === 'X'
          ? Number.parseInt(entity.slice(2), 16)
          : Number(entity.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'br',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  'pre',
]);
const DROPPED_TAGS = new Set(['head', 'style', 'script', 'title', 'blockquote']);

/**
 * Plain text of an HTML email body: tags out, entities decoded, line breaks kept for block
 * elements. Quoted history in <blockquote> (Gmail, Apple Mail) is dropped with its contents.
 */
export function htmlToText(html: string): string {
  const source = html.replace(/<!--[\s\S]*?-->/g, '');
  let out = '';
  let dropDepth = 0;
  let last = 0;
  for (const match of source.matchAll(/<\s*(\/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
    if (dropDepth === 0) out += source.slice(last, match.index);
    last = (match.index ?? 0) + match[0].length;
    const closing = match[1] === '/';
    const tag = (match[2] ?? '').toLowerCase();
    const selfClosing = match[0].endsWith('/>');
    if (DROPPED_TAGS.has(tag) && !selfClosing) {
      dropDepth = Math.max(0, dropDepth + (closing ? -1 : 1));
      continue;
    }
    if (dropDepth === 0 && BLOCK_TAGS.has(tag)) out += '\n';
  }
  if (dropDepth === 0) out += source.slice(last);
  return decodeHtmlEntities(out.replace(/[ \t\r\f\v]+/g, ' '))
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Lines where earlier messages begin: everything from the first of them on is history. */
const QUOTE_STARTS: readonly RegExp[] = [
  /^>?\s*On\b.{0,200}\bwrote:\s*$/im,
  /^>?\s*On\b[^\n]{0,200}\n[^\n]{0,200}\bwrote:\s*$/im,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/im,
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/im,
  /^_{20,}\s*$/m,
  /^\*?From:\*?\s.+\n(?:.*\n){0,3}?\*?(?:Sent|Date):\*?\s/im,
  /^>/m,
];

/** Lines where a signature begins: the rest of the message is not the lead's words. */
const SIGNATURE_STARTS: readonly RegExp[] = [
  /^-- ?$/m,
  /^Sent from my \w+/im,
  /^Sent from (?:Mail for Windows|Yahoo Mail|Outlook|AOL Mail|Gmail)\b/im,
  /^Get Outlook for \w+/im,
  /^Sent (?:via|with) \w+/im,
];

const SIGN_OFF_LINE =
  /^(?:thanks|thank you|many thanks|thanks again|thx|best|best regards|kind regards|warm regards|regards|cheers|sincerely|all the best|take care)\s*[,.!]?$/i;
const NAME_LINE = /^[-~]?\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}$/;

/** Drops a closing sign-off block: "Thanks," then a name and at most a few short lines (title, phone). */
function stripSignOff(text: string): string {
  const lines = text.split('\n');
  for (let i = Math.max(1, lines.length - 5); i < lines.length - 1; i++) {
    const after = lines.slice(i + 1);
    if (
      SIGN_OFF_LINE.test(lines[i]?.trim() ?? '') &&
      NAME_LINE.test(after[0]?.trim() ?? '') &&
      after.every((line) => line.trim().length <= 60)
    ) {
      return lines.slice(0, i).join('\n');
    }
  }
  return text;
}

function cutAtEarliest(text: string, patterns: ReadonlyArray<RegExp>): string {
  let cut = text.length;
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match && match.index < cut) cut = match.index;
  }
  return text.slice(0, cut);
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function parsedByLibrary(text: string): string {
  try {
    return new EmailReplyParser().read(text).getVisibleText();
  } catch {
    return text;
  }
}

/**
 * The lead's own words from an inbound email: the reply without the quoted history below it
 * and without the signature. Prefers the text part; falls back to the HTML part. Never throws.
 */
export function extractLeadText(args: { text?: string | undefined; html?: string | undefined }): string {
  try {
    const plain = args.text?.trim()
      ? args.text
      : args.html
        ? htmlToText(args.html.slice(0, MAX_INPUT_CHARS))
        : '';
    const normalised = plain
      .slice(0, MAX_INPUT_CHARS)
      .replace(/\r\n?/g, '\n')
      .replace(/\u00a0/g, ' ');
    const withoutHistory = cutAtEarliest(parsedByLibrary(normalised), QUOTE_STARTS);
    const withoutSignature = cutAtEarliest(withoutHistory, SIGNATURE_STARTS);
    const withoutSignOff = stripSignOff(tidy(withoutSignature));
    const result = tidy(withoutSignOff);
    if (result.length > 0) return result;
    // When every rule strips everything, the library's reading alone is better than nothing.
    return tidy(cutAtEarliest(normalised, QUOTE_STARTS)) || tidy(normalised);
  } catch {
    return '';
  }
}
