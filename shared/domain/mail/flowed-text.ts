/**
 * RFC 3676 `format=flowed` text → lines as the writer meant them. A line ending in a space is
 * soft-broken and continues on the next line, but only on a line of the same quote depth
 * (RFC 3676 §4.5: "a flowed line is only joined with a following line of the same quote
 * depth"), so a quoted line ending in a space never swallows the unquoted reply under it.
 * Thunderbird and Apple Mail send flowed text by default.
 */

interface FlowedLine {
  depth: number;
  text: string;
}

const readLine = (raw: string): FlowedLine => {
  const quotes = /^>+/.exec(raw)?.[0].length ?? 0;
  let text = raw.slice(quotes);
  // §4.4 space-stuffing: one leading space after the quote marks (or on an unquoted line) is padding.
  if (text.startsWith(' ')) text = text.slice(1);
  return { depth: quotes, text };
};

/**
 * Decodes flowed text.
 *
 * @param text the decoded text part (any line ends)
 * @param delSp the part's `DelSp=yes` parameter: the space before a soft break was added by the
 *   sender and goes when lines are joined (§4.2)
 * @returns one line per paragraph, each quoted line with its `>` marks and one space
 */
export function decodeFlowed(text: string, delSp = false): string {
  const out: FlowedLine[] = [];
  let open: FlowedLine | undefined;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = readLine(raw);
    if (open && open.depth === line.depth) {
      open.text += line.text;
    } else {
      open = { ...line };
      out.push(open);
    }
    // §4.3: "-- " alone is the signature separator, never a soft break.
    const flowed = line.text.endsWith(' ') && line.text !== '-- ';
    if (flowed) {
      if (delSp) open.text = open.text.slice(0, -1);
    } else {
      open = undefined;
    }
  }
  return out.map((l) => (l.depth > 0 ? `${'>'.repeat(l.depth)} ${l.text}` : l.text)).join('\n');
}
