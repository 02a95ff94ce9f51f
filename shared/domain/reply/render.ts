import { toSmsText } from '#shared/domain/sms-text.ts';

/**
 * A reply as blocks, rendered once for SMS (fitted into a length by shortening or dropping the
 * least important blocks) and once for email (plain text and HTML).
 */

export type Block =
  /**
   * `sms`: the greeting in a text, null without a name (a text then starts with its first
   * sentence); `email`: always one. `lowerNext`: "Hi Jane, thanks ..." reads as one sentence.
   */
  | { kind: 'greeting'; sms: string | null; email: string; lowerNext: boolean }
  | { kind: 'sentence'; text: string; short?: string | undefined; priority: number }
  | {
      kind: 'slots';
      intro: string;
      shortIntro: string;
      items: string[];
      outro: string;
      outroEmail: string;
      priority: number;
    }
  /** A booking link is the point of the message: it is never shortened or dropped. */
  | { kind: 'link'; intro: string; url: string }
  | { kind: 'footer'; text: string };

/** The blocks as one line of GSM-7 text. */
export function renderSms(blocks: ReadonlyArray<Block>): string {
  const parts: string[] = [];
  let lowerNext = false;
  for (const block of blocks) {
    if (block.kind === 'greeting') {
      if (block.sms !== null) {
        parts.push(block.sms);
        lowerNext = block.lowerNext;
      }
      continue;
    }
    const text =
      block.kind === 'slots'
        ? `${block.intro} ${block.items.map((item, i) => `${i + 1}) ${item}`).join(' ')}. ${block.outro}`
        : block.kind === 'link'
          ? // No full stop after the link: some phones would take it into the address.
            `${block.intro} ${block.url}`
          : block.text;
    parts.push(lowerNext && parts.length === 1 ? text.charAt(0).toLowerCase() + text.slice(1) : text);
  }
  return toSmsText(parts.join(' '));
}

type Optional = Extract<Block, { priority: number }>;

function shortened(block: Optional): Optional | null {
  if (block.kind === 'slots')
    return block.intro !== block.shortIntro ? { ...block, intro: block.shortIntro } : null;
  return block.short && block.short !== block.text ? { ...block, text: block.short } : null;
}

/**
 * Fits a text into `max` characters when it can: first shortens optional blocks, least
 * important first, then drops them in the same order. Required blocks always stay.
 */
export function fitSms(blocks: ReadonlyArray<Block>, max: number): string {
  let kept = [...blocks];
  const byImportance = () =>
    kept
      .filter(
        (block): block is Optional =>
          (block.kind === 'sentence' || block.kind === 'slots') && block.priority > 0,
      )
      .sort((a, b) => b.priority - a.priority);
  let text = renderSms(kept);
  while (text.length > max) {
    const optional = byImportance();
    const shortenable = optional.find((block) => shortened(block) !== null);
    if (shortenable) {
      const shorter = shortened(shortenable);
      kept = kept.map((block) => (block === shortenable && shorter ? shorter : block));
    } else if (optional[0]) {
      const leastImportant = optional[0];
      kept = kept.filter((block) => block !== leastImportant);
    } else {
      break;
    }
    text = renderSms(kept);
  }
  return text;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The blocks as an email body, plain text and HTML, signed off by the business. */
export function renderEmail(
  blocks: ReadonlyArray<Block>,
  signOff: { words: string; business: string },
): { text: string; html: string } {
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  let sentences: string[] = [];
  const flush = () => {
    if (sentences.length === 0) return;
    textParts.push(sentences.join(' '));
    htmlParts.push(`<p>${escapeHtml(sentences.join(' '))}</p>`);
    sentences = [];
  };
  for (const block of blocks) {
    if (block.kind === 'greeting') {
      textParts.push(block.email);
      htmlParts.push(`<p>${escapeHtml(block.email)}</p>`);
    } else if (block.kind === 'slots') {
      flush();
      textParts.push(
        [block.intro, ...block.items.map((item, i) => `${i + 1}. ${item}`), block.outroEmail].join('\n'),
      );
      htmlParts.push(
        `<p>${escapeHtml(block.intro)}</p><ol>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ol>` +
          `<p>${escapeHtml(block.outroEmail)}</p>`,
      );
    } else if (block.kind === 'link') {
      flush();
      textParts.push(`${block.intro}\n${block.url}`);
      htmlParts.push(
        `<p>${escapeHtml(block.intro)}<br><a href="${escapeHtml(block.url)}">${escapeHtml(block.url)}</a></p>`,
      );
    } else {
      sentences.push(block.text);
    }
  }
  flush();
  textParts.push(`${signOff.words}\n${signOff.business}`);
  htmlParts.push(`<p>${escapeHtml(signOff.words)}<br>${escapeHtml(signOff.business)}</p>`);
  return {
    text: textParts.join('\n\n'),
    html: htmlDocument(htmlParts),
  };
}

/** An HTML email body around its paragraphs. */
export function htmlDocument(parts: ReadonlyArray<string>): string {
  return `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.4">${parts.join('')}</body></html>`;
}
