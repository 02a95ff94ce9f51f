import { Parser } from 'htmlparser2';

/**
 * HTML mail → plain text, read by a real HTML tokenizer (htmlparser2: doctype, `<?xml …?>`,
 * comments, CDATA, entities and unclosed tags as browsers read them). It is the smallest real
 * parser that fits the webhook's bundle budget (~50 KiB, against ~190 KiB for html-to-text).
 *
 * Quoted history keeps its shape: each `<blockquote>` level becomes a `> ` prefix, so the text
 * rules (`reply-text.ts`) strip it with its header the same way as in a text part.
 */

/** Never rendered: metadata, code, and things that hold no words of the writer. */
const SKIPPED = new Set([
  'head',
  'style',
  'script',
  'title',
  'template',
  'noscript',
  'svg',
  'math',
  'object',
]);
/** Start a new line (their content is a block). */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'li',
  'main',
  'nav',
  'ol',
  'section',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
]);
/** Blocks followed by a blank line. */
const PARAGRAPHS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'hr']);
const CELLS = new Set(['td', 'th']);

/** Bounds the work on one part; a lead's words never need more. */
const MAX_HTML_CHARS = 500_000;

/**
 * The text of an HTML body: one line per block, `- ` before list items, blank lines between
 * paragraphs, `> ` per blockquote level, entities decoded, `<head>`/`<style>`/`<script>` dropped.
 * Never throws; returns '' for markup with no text.
 */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  let current = '';
  let depth = 0;
  let skipping = 0;
  let preformatted = 0;

  const prefix = () => (depth > 0 ? `${'>'.repeat(depth)} ` : '');
  const flush = () => {
    const text = current.replace(/[ \t]+$/g, '');
    if (text.trim()) lines.push(prefix() + text.trim());
    current = '';
  };
  const blankLine = () => {
    flush();
    const last = lines[lines.length - 1];
    const blank = depth > 0 ? '>'.repeat(depth) : '';
    if (last !== undefined && last !== blank && last.trim() !== '') lines.push(blank);
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (SKIPPED.has(name)) skipping++;
        if (skipping) return;
        if (name === 'br') {
          if (current.trim()) flush();
          else lines.push(depth > 0 ? '>'.repeat(depth) : '');
        } else if (name === 'blockquote') {
          blankLine();
          depth++;
        } else if (name === 'li') {
          flush();
          current = '- ';
        } else if (name === 'pre') {
          blankLine();
          preformatted++;
        } else if (name === 'hr') {
          blankLine();
        } else if (BLOCKS.has(name)) {
          flush();
        } else if (PARAGRAPHS.has(name)) {
          blankLine();
        } else if (CELLS.has(name)) {
          if (current.trim()) current += ' ';
        } else if (
          name === 'img' &&
          attributes.alt &&
          !/^(?:image|img|photo|logo|spacer)?\d*$/i.test(attributes.alt)
        ) {
          current += ` ${attributes.alt} `;
        }
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping) return;
        if (name === 'blockquote') {
          blankLine();
          depth = Math.max(0, depth - 1);
          blankLine();
        } else if (name === 'pre') {
          blankLine();
          preformatted = Math.max(0, preformatted - 1);
        } else if (PARAGRAPHS.has(name)) {
          blankLine();
        } else if (BLOCKS.has(name)) {
          flush();
        }
      },
      ontext(text) {
        if (skipping) return;
        if (preformatted) {
          const [first = '', ...rest] = text.replace(/\r\n?/g, '\n').split('\n');
          current += first;
          for (const line of rest) {
            flush();
            current = line;
          }
          return;
        }
        const collapsed = text.replace(/[\s\u00a0]+/g, ' ');
        current += current === '' || current.endsWith(' ') ? collapsed.trimStart() : collapsed;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  try {
    parser.end(html.slice(0, MAX_HTML_CHARS));
  } catch {
    // htmlparser2 is forgiving; a failure keeps what was read so far.
  }
  flush();
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
