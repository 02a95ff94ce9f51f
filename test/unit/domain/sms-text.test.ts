import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments, toSmsText } from '#shared/domain/sms-text.ts';

describe('GSM-7 text', () => {
  it.each([
    ['Hi Jane, reply 1, 2 or 3!', true],
    ['Price: from $129 (£99) @ 10am', true],
    ['Renée, Zoë & José', false], // ë is not GSM-7
    ['It\u2019s fine', false],
    ['Tue Nov 24, 10:00\u202fAM', false],
    ['Leak? 🙂', false],
  ])('reports whether %j is GSM-7', (text, expected) => {
    expect(isGsm7(text)).toBe(expected);
  });

  it.each([
    ['It\u2019s \u201cfine\u201d \u2014 really\u2026', 'It\'s "fine" - really...'],
    ['10:00\u202fAM', '10:00 AM'],
    ['\u00bd inch pipe', '1/2 inch pipe'],
    ['\uff12 please', '2 please'],
  ])('replaces only what keeps the meaning: %j → %j (GSM-7)', (text, expected) => {
    const out = toSmsText(text);
    expect(out).toBe(expected);
    expect(isGsm7(out)).toBe(true);
  });

  it.each([
    ['Hi 张伟, thanks for reaching out'],
    ['Hi محمد, thanks'],
    ['Quote: \u20b9500'],
    ['Zoë Łukasz'],
    ['Thanks 🙂'],
  ])('never drops a character: %j is kept whole and sent as UCS-2', (text) => {
    expect(toSmsText(text)).toBe(text);
    expect(isGsm7(toSmsText(text))).toBe(false);
  });

  it.each([
    ['an empty text', '', 1],
    ['160 GSM-7 characters', 'a'.repeat(160), 1],
    ['161 GSM-7 characters', 'a'.repeat(161), 2],
    ['306 GSM-7 characters', 'a'.repeat(306), 2],
    ['307 GSM-7 characters', 'a'.repeat(307), 3],
    ['80 extension characters (2 septets each)', '{'.repeat(80), 1],
    ['81 extension characters', '{'.repeat(81), 2],
    ['160 accented GSM-7 letters', 'é'.repeat(160), 1],
    ['70 UCS-2 characters', 'ë'.repeat(70), 1],
    ['71 UCS-2 characters', 'ë'.repeat(71), 2],
    // Twilio's calculator: an escape pair (€ is two septets) never straddles a segment boundary.
    ['152 × a, €, 152 × a', `${'a'.repeat(152)}€${'a'.repeat(152)}`, 3],
    ['159 × a then € (161 septets)', `${'a'.repeat(159)}€`, 2],
    // A surrogate pair (emoji) never straddles a UCS-2 segment boundary either.
    ['66 × ë then an emoji then 67 × ë', `${'ë'.repeat(66)}🙂${'ë'.repeat(67)}`, 3],
  ])('counts the segments of %s', (_label, text, segments) => {
    expect(smsSegments(text)).toBe(segments);
  });
});

describe('toSmsText on plain ASCII', () => {
  it('gives what Twilio’s Smart Encoding gives for every printable ASCII character and pair', () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
    const smart = (text: string) =>
      new SegmentedMessage(text, 'auto', true).graphemes.join('').replace(/\t/g, ' ').replace(/ {2,}/g, ' ');
    for (const a of printable) {
      expect(toSmsText(a), JSON.stringify(a)).toBe(smart(a));
      for (const b of printable) expect(toSmsText(`${a}${b}  x`)).toBe(smart(`${a}${b}  x`));
    }
  });
});
