import places from './data/places.json' with { type: 'json' };
import { foldAccents } from './text.ts';

/**
 * Where the work is: the business's own towns and ZIP codes wherever the message names them
 * ("… Round Rock.", "Vivo en Pflugerville", "78660"), any other capitalised place after the words
 * that introduce one (`data/places.json`: "I'm in", "out past", "vivo en"), a street address, a
 * ZIP code.
 */

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const NOT_A_PLACE = new Set(places.notAPlace.map((word) => foldAccents(word.toLowerCase())));
const BEFORE = Object.values(places.before)
  .flat()
  .sort((a, b) => b.length - a.length)
  .map((words) => words.split(/\s+/).map(escapeRegExp).join('\\s+'));
// A capitalised word; a dot only in the abbreviations town names use, so a sentence end stops the match.
const PLACE_WORD = "(?:St\\.|Ft\\.|Mt\\.|\\p{Lu}[\\p{L}'-]+)";
const INTRODUCER = new RegExp(`(?<![\\p{L}])(?:${BEFORE.join('|')})\\s+`, 'giu');
// Case-sensitive: the place itself must be capitalised.
const PLACE_AFTER = new RegExp(`(${PLACE_WORD}(?:\\s+${PLACE_WORD}){0,2})(?:,?\\s+([A-Z]{2})\\b)?`, 'uy');
const STREET = new RegExp(
  `\\b\\d{1,6}\\s+(?:${PLACE_WORD}\\s+){1,4}(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Way|Ct|Court|Cir|Circle|Pkwy|Parkway|Trl|Trail|Pl|Place|Hwy|Highway|Loop|Cv|Cove)\\b\\.?(?:,\\s*${PLACE_WORD}(?:\\s+${PLACE_WORD}){0,2})?`,
  'u',
);
const ZIP = /(?<![\d$,.-])\b(\d{5})(?:-\d{4})?\b(?![,.]?\d)/;
const MONEY_BEFORE = /(?:budget|spend|pay|under|about|around|\$)\s*(?:is|of)?\s*$/i;
/** "this is Kyle", "- Austin": a name that is also a town. */
const NAME_BEFORE = /(?:\bthis is|\bi'?m|\bi am|\bname is|\bname's|\bsoy|\bllamo|\bit's|[-~–—])\s*$/i;

/** The service-area towns and ZIP codes the text names, in the profile's spelling, first named first. */
export const servedPlacesIn = (text: string, served: ReadonlyArray<string>): string[] => {
  const folded = foldAccents(text);
  const hits: Array<{ place: string; at: number }> = [];
  for (const place of served) {
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}])${foldAccents(place).trim().split(/\s+/).map(escapeRegExp).join('\\s+')}(?![\\p{L}\\p{N}])`,
      'giu',
    );
    for (const match of folded.matchAll(pattern)) {
      if (NAME_BEFORE.test(folded.slice(0, match.index))) continue;
      hits.push({ place, at: match.index });
      break;
    }
  }
  return hits.sort((a, b) => a.at - b.at).map((hit) => hit.place);
};

const introducedPlace = (text: string): string | null => {
  for (const introducer of text.matchAll(INTRODUCER)) {
    PLACE_AFTER.lastIndex = introducer.index + introducer[0].length;
    const match = PLACE_AFTER.exec(text);
    if (!match) continue;
    const words = (match[1] ?? '').split(/\s+/);
    const notAPlace = (word: string) => NOT_A_PLACE.has(foldAccents(word.toLowerCase()));
    // "The Woodlands" is a place; "the" alone is not.
    const first = words[0]?.toLowerCase() === 'the' && words.length > 1 ? 1 : 0;
    const end = words.findIndex((word, index) => index >= first && notAPlace(word));
    const kept = end < 0 ? words : words.slice(0, end);
    if (kept.length === 0) continue;
    const place = kept.join(' ');
    return match[2] && end < 0 ? `${place}, ${match[2]}` : place;
  }
  return null;
};

const shorten = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 3)}...`);

/** Where the work is, as the message says it (street, town, ZIP, joined), or null. */
export const readLocation = (text: string, served: ReadonlyArray<string>): string | null => {
  const street = STREET.exec(text)?.[0]?.trim() ?? null;
  const town = servedPlacesIn(text, served)[0] ?? introducedPlace(text);
  const zipMatch = ZIP.exec(text);
  const zip = zipMatch && !MONEY_BEFORE.test(text.slice(0, zipMatch.index)) ? (zipMatch[1] ?? null) : null;
  const parts: string[] = [];
  for (const part of [street, town, zip]) {
    if (part && !parts.some((known) => known.toLowerCase().includes(part.toLowerCase()))) parts.push(part);
  }
  return parts.length > 0 ? shorten(parts.join(', '), 200) : null;
};
