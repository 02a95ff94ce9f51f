import { describe, expect, it } from 'vitest';
import { decodeCharset } from '../../../functions/inbound-email/charsets.ts';
import {
  type InboundEmailLimits,
  parseSendGridInbound,
} from '../../../functions/inbound-email/parse-inbound-email.ts';
import { decodeFlowed } from '../../../shared/domain/mail/flowed-text.ts';
import { buildMultipart } from '../../support/multipart.ts';

/*
 * Charsets, flowed text and large mail as SendGrid Inbound Parse posts them. The byte sequences
 * are written here from the code page tables (IBM cp850, Windows-31J); the flowed layout follows
 * RFC 3676 §4 and Thunderbird's output, and the SendGrid `charsets` field its Parse docs.
 */

const parse = (
  fields: Record<string, string | Buffer>,
  files: Parameters<typeof buildMultipart>[1] = [],
  limits: InboundEmailLimits = { maxBytes: 10 * 1024 * 1024 },
) => {
  const { body, contentType } = buildMultipart(fields, files);
  return parseSendGridInbound(body, contentType, limits);
};

describe('decodeCharset', () => {
  it.each([
    ['cp850', [0x70, 0x69, 0x64, 0x69, 0xa2], 'pidió'],
    ['IBM437', [0x82, 0x74, 0xe1], 'étß'],
    ['CP932', [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x87, 0x40], '日本語①'],
    ['ms936', [0xc4, 0xe3, 0xba, 0xc3], '你好'],
    ['ks_c_5601-1987', [0xb0, 0xa1], '가'],
    ['cp950', [0xa4, 0xa4], '中'],
    ['koi8-r', [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4], 'Привет'],
    ['iso-8859-1', [0x80, 0x20, 0x93, 0x6f, 0x6b, 0x94], '€ “ok”'],
    ['windows-1250', [0x8a, 0x9a], 'Šš'],
    ['macintosh', [0x8e], 'é'],
    ['"ISO-2022-JP"', [0x1b, 0x24, 0x42, 0x46, 0x7c, 0x1b, 0x28, 0x42], '日'],
  ])('decodes %s', (label, bytes, expected) => {
    expect(decodeCharset(Buffer.from(bytes), label)).toMatchObject({ text: expected, known: true });
  });

  it('reads an unknown charset as UTF-8 and says so', () => {
    expect(decodeCharset(Buffer.from('héllo'), 'x-made-up')).toEqual({
      text: 'héllo',
      encoding: 'utf-8',
      known: false,
    });
  });
});

describe('parseSendGridInbound, charsets', () => {
  it('decodes a cp850 subject and a CP932 text part as the charsets field names them', async () => {
    const email = await parse({
      from: 'Ana <ana@example.mx>',
      to: 'hello@leadline.example',
      subject: Buffer.from([
        0x43, 0x6f, 0x6d, 0x6f, 0x20, 0x75, 0x73, 0x74, 0x65, 0x64, 0x20, 0x70, 0x69, 0x64, 0x69, 0xa2,
      ]),
      text: Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea]),
      charsets: JSON.stringify({ subject: 'cp850', text: 'CP932', from: 'UTF-8', to: 'UTF-8' }),
    });
    expect(email.subject).toBe('Como usted pidió');
    expect(email.text).toBe('日本語');
  });
});

describe('decodeFlowed (RFC 3676)', () => {
  it('joins soft-broken lines of the same quote depth only', () => {
    const flowed = [
      '2 works for me, see you ',
      'then.',
      '',
      'On 3/3/26 10:15, Brightside wrote:',
      '> Pick a time: 1. Tue 9:00 ',
      '> 2. Wed 10:00 ',
      'Unquoted line after a quoted one ending in a space',
    ].join('\r\n');
    expect(decodeFlowed(flowed).split('\n')).toEqual([
      '2 works for me, see you then.',
      '',
      'On 3/3/26 10:15, Brightside wrote:',
      '> Pick a time: 1. Tue 9:00 2. Wed 10:00 ',
      'Unquoted line after a quoted one ending in a space',
    ]);
  });

  it('removes space-stuffing, keeps the "-- " separator, and honours DelSp', () => {
    expect(decodeFlowed(' From the start\n-- \nSam')).toBe('From the start\n-- \nSam');
    expect(decodeFlowed('Hel \nlo', true)).toBe('Hello');
  });
});

describe('parseSendGridInbound, raw flowed text', () => {
  it('never joins a quoted line into the unquoted reply under it', async () => {
    const raw = [
      'From: Sven <sven@example.se>',
      'To: hello@leadline.example',
      'Subject: Re: Times',
      'Message-ID: <flowed-1@example.se>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8; format=flowed; delsp=no',
      '',
      '> 1. Tis 4 mars 9:00 ',
      '2',
      '',
    ].join('\r\n');
    const email = await parse({ from: 'sven@example.se', to: 'hello@leadline.example', email: raw });
    expect(email.text?.split('\n')).toEqual(['> 1. Tis 4 mars 9:00 ', '2', '']);
  });
});

describe('parseSendGridInbound, large mail', () => {
  const photo = (n: number, bytes: number) => ({
    field: `attachment${n}`,
    filename: `leak-${n}.jpg`,
    contentType: 'image/jpeg',
    content: Buffer.alloc(bytes, n),
  });

  it('keeps the text and lists files over the per-file limit without their bytes', async () => {
    const email = await parse(
      {
        from: 'dana@example.com',
        to: 'hello@leadline.example',
        subject: 'Leak',
        text: 'Photos of the leak attached.',
      },
      [photo(1, 300), photo(2, 5000), photo(3, 300)],
      { maxBytes: 100_000, maxAttachmentBytes: 1000 },
    );
    expect(email.text).toBe('Photos of the leak attached.');
    expect(email.attachments.map((a) => [a.filename, a.content.length, a.skipped])).toEqual([
      ['leak-1.jpg', 300, undefined],
      ['leak-2.jpg', 0, 'over the 1000-byte limit per file'],
      ['leak-3.jpg', 300, undefined],
    ]);
  });

  it('keeps files only up to the total kept for one mail', async () => {
    const email = await parse(
      { from: 'dana@example.com', to: 'hello@leadline.example', subject: 'Leak', text: 'See photos.' },
      [photo(1, 600), photo(2, 600)],
      { maxBytes: 100_000, maxKeptAttachmentBytes: 1000 },
    );
    expect(email.attachments.map((a) => a.skipped)).toEqual([
      undefined,
      'over the total size kept for one mail',
    ]);
  });

  it('accepts a 7.5 MB mail of three 2.5 MB photos with its text', async () => {
    const email = await parse(
      { from: 'dana@example.com', to: 'hello@leadline.example', subject: 'Leak', text: 'Three photos.' },
      [1, 2, 3].map((n) => photo(n, 2.5 * 1024 * 1024)),
    );
    expect(email.text).toBe('Three photos.');
    expect(email.attachments).toHaveLength(3);
  });
});
