import { TextDecoder } from 'node:util';
import singleByteTables from 'iconv-lite/encodings/sbcs-data.js';
import generatedSingleByteTables from 'iconv-lite/encodings/sbcs-data-generated.js';

/**
 * Decoding every charset a mail client may declare (SendGrid's `charsets` field names one per
 * form field).
 *
 * - Single-byte code pages (DOS `cp850`/`cp437`, Mac, KOI8, ISO-8859-x, Windows-125x, TIS-620,
 *   VISCII…) are read from iconv-lite's own tables: exact, and ~40 KiB in the webhook bundle.
 * - Multi-byte encodings (Shift_JIS, EUC-JP, ISO-2022-JP, GBK/GB18030, Big5, EUC-KR, UTF-16) go to
 *   Node's `TextDecoder` (full ICU, as in Lambda's runtime), after mapping the Windows and IBM
 *   names mail clients use for them (Apple Mail's `CP932`, Outlook's `ks_c_5601-1987`…) to their
 *   WHATWG encodings. iconv-lite's double-byte tables would add ~430 KiB to the webhook for the
 *   same results (WHATWG's `shift_jis` *is* Windows-31J/CP932, `gbk` is CP936, `big5` is CP950).
 */

type TableEntry = string | number | { type: string; chars: string };
const TABLES: Record<string, TableEntry> = { ...generatedSingleByteTables, ...singleByteTables };

/** Names TextDecoder does not know for encodings it decodes (WHATWG Encoding Standard, §4.2). */
const MULTI_BYTE_ALIASES: Readonly<Record<string, string>> = {
  cp932: 'shift_jis',
  ms932: 'shift_jis',
  windows932: 'shift_jis',
  ibm943: 'shift_jis',
  sjisopen: 'shift_jis',
  sjiswin: 'shift_jis',
  cp936: 'gbk',
  ms936: 'gbk',
  windows936: 'gbk',
  cp949: 'euc-kr',
  ms949: 'euc-kr',
  uhc: 'euc-kr',
  windows949: 'euc-kr',
  cp950: 'big5',
  ms950: 'big5',
  windows950: 'big5',
  big5hkscs: 'big5',
  cp51932: 'euc-jp',
  eucjpms: 'euc-jp',
  cp50220: 'iso-2022-jp',
  cp50221: 'iso-2022-jp',
  cp50222: 'iso-2022-jp',
  iso2022jp1: 'iso-2022-jp',
  iso2022jp2: 'iso-2022-jp',
  cp1200: 'utf-16le',
  cp1201: 'utf-16be',
  cp65001: 'utf-8',
};

/**
 * Latin-1 labels read as Windows-1252, as browsers do (WHATWG): mailers label cp1252 text
 * "iso-8859-1" all the time, and the C1 controls they would otherwise decode to are never meant.
 */
const LATIN1_LABELS = new Set([
  'iso88591',
  'latin1',
  'l1',
  'usascii',
  'ascii',
  'cp819',
  'ibm819',
  'iso885911987',
]);

/** iconv-lite's normalisation of a charset name: lower case, letters and digits only, no `:1987` year. */
const canonical = (label: string): string => label.toLowerCase().replace(/:\d{4}$|[^0-9a-z]/g, '');

const singleByteChars = (name: string): string | undefined => {
  let key = LATIN1_LABELS.has(name) ? 'windows1252' : name;
  for (let hops = 0; hops < 5; hops++) {
    const entry = TABLES[key];
    if (entry === undefined) return undefined;
    if (typeof entry === 'object') {
      if (entry.type !== '_sbcs') return undefined;
      if (entry.chars.length === 256) return entry.chars;
      let ascii = '';
      for (let i = 0; i < 128; i++) ascii += String.fromCharCode(i);
      return ascii + entry.chars;
    }
    key = canonical(String(entry));
  }
  return undefined;
};

const decodeSingleByte = (bytes: Uint8Array, chars: string): string => {
  let out = '';
  for (const byte of bytes) out += chars[byte] ?? '\ufffd';
  return out;
};

export interface DecodedText {
  text: string;
  /** The encoding actually used; `utf-8` when the declared one is unknown. */
  encoding: string;
  /** False when the declared charset is unknown and the bytes were read as UTF-8. */
  known: boolean;
}

/**
 * Decodes bytes in the charset a mail client declared.
 *
 * @param bytes the raw bytes of a field or part
 * @param label the declared charset (`cp850`, `"Shift_JIS"`, `ks_c_5601-1987`…); none means UTF-8
 * @returns the text; an unknown label is read as UTF-8 and reported (`known: false`), never thrown
 */
export const decodeCharset = (bytes: Uint8Array, label: string | undefined): DecodedText => {
  const declared = (label ?? '').trim().replace(/^["']|["']$/g, '');
  if (!declared) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', known: true };
  const name = canonical(declared);
  const chars = singleByteChars(name);
  if (chars) return { text: decodeSingleByte(bytes, chars), encoding: name, known: true };
  for (const candidate of [MULTI_BYTE_ALIASES[name], declared]) {
    if (!candidate) continue;
    try {
      const decoder = new TextDecoder(candidate);
      return { text: decoder.decode(bytes), encoding: decoder.encoding, known: true };
    } catch {
      // Not a WHATWG label: try the next name.
    }
  }
  return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', known: false };
};
