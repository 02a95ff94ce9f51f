/**
 * GSM-7 helpers. One character outside GSM-7 turns a whole SMS into UCS-2, which cuts a segment
 * from 160 to 70 characters and more than doubles the cost.
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';
const GSM7 = new Set([...GSM7_BASIC, ...GSM7_EXTENDED]);

const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00A0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u202F': ' ',
  '\t': ' ',
  '\u2022': '-',
  '\u00B7': '-',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ı: 'i',
  Œ: 'OE',
  œ: 'oe',
};

export function isGsm7(text: string): boolean {
  for (const char of text) if (!GSM7.has(char)) return false;
  return true;
}

/** Replaces look-alikes (curly quotes, dashes, odd spaces), strips accents GSM-7 lacks, drops the rest. */
export function toGsm7(text: string): string {
  let out = '';
  for (const char of text) {
    if (GSM7.has(char)) {
      out += char;
      continue;
    }
    const lookalike = LOOKALIKES[char];
    if (lookalike !== undefined) {
      out += lookalike;
      continue;
    }
    const base = char.normalize('NFD').replace(/\p{M}/gu, '');
    if (base.length > 0 && [...base].every((c) => GSM7.has(c))) out += base;
  }
  return out.replace(/ {2,}/g, ' ');
}

/** How many SMS segments a text takes (GSM-7: 160, or 153 when split; UCS-2: 70, or 67). */
export function smsSegments(text: string): number {
  if (text.length === 0) return 1;
  if (isGsm7(text)) {
    let septets = 0;
    for (const char of text) septets += GSM7_EXTENDED.includes(char) ? 2 : 1;
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  let units = 0;
  for (const char of text) units += char.length;
  return units <= 70 ? 1 : Math.ceil(units / 67);
}
