import { describe, expect, it } from 'vitest';
import {
  decodeField,
  type InboundEmailLimits,
  InboundEmailParseError,
  parseSendGridInbound,
  readThreadingHeaders,
} from '../../../functions/inbound-email/parse-inbound-email.ts';
import { buildMultipart } from '../../support/multipart.ts';

const LIMITS = { maxBytes: 5 * 1024 * 1024 };

/** A PNG-like blob with every byte value, so any text decoding on the way would show. */
const BINARY = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7 + 3) % 256));
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n', 'latin1');

const HEADERS = [
  'Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn',
  '\tTue, 03 Jun 2025 04:43:24 +0000 (UTC)',
  'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;',
  '        h=from:to:subject; bh=CEFjZXevil93deLhLlkKrNP1ovhZi+nSiz4ZxQzRLT8=',
  'From: Dana Prospect <dana@prospect.example>',
  'To: hello@acme-roofing.example',
  'Cc: ops@prospect.example',
  'Subject: Quote for a new roof',
  'Date: Tue, 3 Jun 2025 05:42:51 +0100',
  'Message-Id: <256304D3-3BE0-4EC0-91A0-EF12F7C3463C@prospect.example>',
  'In-Reply-To: <reply-1@acme-roofing.example>',
  'References: <first@acme-roofing.example>',
  ' <second@prospect.example>',
  '\t<reply-1@acme-roofing.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="000000000000abc"',
  '',
  '',
].join('\n');

/** Fields in the order SendGrid posts them: headers first, charsets and envelope late. */
const defaultModeFields = (
  overrides: Record<string, string | Buffer> = {},
): Record<string, string | Buffer> => ({
  headers: HEADERS,
  dkim: '{@prospect.example : pass}',
  'content-ids': '{"ii_logo01":"attachment1"}',
  to: 'hello@acme-roofing.example',
  html: '<p>Hi, could you quote a new roof? <img src="cid:ii_logo01"></p>',
  from: 'Dana Prospect <dana@prospect.example>',
  cc: 'ops@prospect.example',
  text: 'Hi, could you quote a new roof?\n\nDana',
  sender_ip: '209.85.128.42',
  spam_report: 'Spam detection software, running on the system ...',
  envelope: '{"to":["hello@acme-roofing.example"],"from":"dana@prospect.example"}',
  attachments: '2',
  subject: 'Quote for a new roof',
  spam_score: '0.011',
  'attachment-info':
    '{"attachment1":{"filename":"logo.png","name":"logo.png","type":"image/png","content-id":"ii_logo01"},' +
    '"attachment2":{"filename":"plans.pdf","name":"plans.pdf","type":"application/pdf"}}',
  charsets: '{"to":"UTF-8","html":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"UTF-8","cc":"UTF-8"}',
  SPF: 'pass',
  ...overrides,
});

const FILES = [
  { field: 'attachment1', filename: 'logo.png', contentType: 'image/png', content: BINARY },
  { field: 'attachment2', filename: 'plans.pdf', contentType: 'application/pdf', content: PDF },
];

const parse = (
  fields: Record<string, string | Buffer>,
  files = FILES,
  limits: InboundEmailLimits = LIMITS,
) => {
  const { body, contentType } = buildMultipart(fields, files);
  return parseSendGridInbound(body, contentType, limits);
};

const parseError = async (promise: Promise<unknown>): Promise<InboundEmailParseError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InboundEmailParseError);
  return error as InboundEmailParseError;
};

describe('parseSendGridInbound, default mode', () => {
  it('reads the text fields, the envelope, the spam score and the charsets', async () => {
    const email = await parse(defaultModeFields());

    expect(email).toMatchObject({
      from: 'Dana Prospect <dana@prospect.example>',
      to: 'hello@acme-roofing.example',
      cc: 'ops@prospect.example',
      subject: 'Quote for a new roof',
      text: 'Hi, could you quote a new roof?\n\nDana',
      html: '<p>Hi, could you quote a new roof? <img src="cid:ii_logo01"></p>',
      envelope: { to: ['hello@acme-roofing.example'], from: 'dana@prospect.example' },
      spamScore: 0.011,
      charsets: { to: 'UTF-8', html: 'UTF-8', subject: 'UTF-8', from: 'UTF-8', text: 'UTF-8', cc: 'UTF-8' },
    });
    expect(email.headers).toBe(HEADERS);
  });

  it('reads Message-ID, In-Reply-To and folded References from the raw headers', async () => {
    const email = await parse(defaultModeFields());

    expect(email.messageId).toBe('<256304D3-3BE0-4EC0-91A0-EF12F7C3463C@prospect.example>');
    expect(email.inReplyTo).toBe('<reply-1@acme-roofing.example>');
    expect(email.references).toEqual([
      '<first@acme-roofing.example>',
      '<second@prospect.example>',
      '<reply-1@acme-roofing.example>',
    ]);
  });

  it('keeps attachments byte for byte, with their names, types and content ids', async () => {
    const email = await parse(defaultModeFields());

    expect(email.attachments).toHaveLength(2);
    const [logo, plans] = email.attachments;
    expect(logo).toMatchObject({
      field: 'attachment1',
      filename: 'logo.png',
      contentType: 'image/png',
      size: BINARY.length,
      contentId: 'ii_logo01',
    });
    expect(logo?.content.equals(BINARY)).toBe(true);
    expect(plans).toMatchObject({
      field: 'attachment2',
      filename: 'plans.pdf',
      contentType: 'application/pdf',
    });
    expect(plans?.content.equals(PDF)).toBe(true);
    expect(plans?.contentId).toBeUndefined();
  });

  it('decodes a UTF-8 file name', async () => {
    const email = await parse(defaultModeFields(), [
      {
        field: 'attachment1',
        filename: 'Devis toiture été.pdf',
        contentType: 'application/pdf',
        content: PDF,
      },
    ]);

    expect(email.attachments[0]?.filename).toBe('Devis toiture été.pdf');
  });

  it('decodes each field with the charset the charsets field names for it', async () => {
    const email = await parse(
      defaultModeFields({
        subject: 'Devis 🏠 toiture',
        text: Buffer.from('Ça coûte combien ? Réponse avant jeudi, merci. £', 'latin1'),
        html: Buffer.concat([Buffer.from('<p>Prix: 10 '), Buffer.from([0x80]), Buffer.from('</p>')]),
        from: Buffer.from('"Zoë Müller" <zoe@prospect.example>', 'latin1'),
        charsets: JSON.stringify({
          subject: 'UTF-8',
          text: 'iso-8859-1',
          html: 'windows-1252',
          from: 'ISO-8859-1',
          to: 'UTF-8',
        }),
      }),
    );

    expect(email.subject).toBe('Devis 🏠 toiture');
    expect(email.text).toBe('Ça coûte combien ? Réponse avant jeudi, merci. £');
    expect(email.html).toBe('<p>Prix: 10 €</p>');
    expect(email.from).toBe('"Zoë Müller" <zoe@prospect.example>');
  });

  it('reads bytes 0x80–0x9F under any Latin-1 label as windows-1252, as the WHATWG Encoding Standard says', () => {
    // “Quote” – 5€… ™ (Outlook labels such text iso-8859-1 but writes windows-1252 punctuation)
    const bytes = Buffer.from([0x93, 0x51, 0x94, 0x20, 0x96, 0x20, 0x35, 0x80, 0x85, 0x20, 0x99]);
    for (const label of ['iso-8859-1', 'ISO-8859-1', 'latin1', 'us-ascii', 'windows-1252', 'cp1252']) {
      expect(decodeField(bytes, label), label).toBe('\u201cQ\u201d \u2013 5\u20ac\u2026 \u2122');
    }
  });

  it('reads fields as UTF-8 when no charset is given', async () => {
    const fields = defaultModeFields({ text: 'Größe: 120 m² – schnell bitte' });
    delete fields.charsets;

    const email = await parse(fields);

    expect(email.text).toBe('Größe: 120 m² – schnell bitte');
    expect(email.charsets).toBeUndefined();
  });

  it('falls back to UTF-8 for a charset it does not know', async () => {
    const email = await parse(
      defaultModeFields({ text: 'naïve café', charsets: '{"text":"x-no-such-charset"}' }),
    );

    expect(email.text).toBe('naïve café');
  });

  it('ignores an envelope, charsets or spam score it cannot read rather than losing the mail', async () => {
    const email = await parse(
      defaultModeFields({ envelope: '{not json', charsets: '[1,2]', spam_score: 'n/a' }),
    );

    expect(email.envelope).toBeUndefined();
    expect(email.charsets).toBeUndefined();
    expect(email.spamScore).toBeUndefined();
    expect(email.from).toBe('Dana Prospect <dana@prospect.example>');
  });

  it('accepts a post without attachments, cc, html or threading headers', async () => {
    const email = await parse(
      {
        headers: 'From: a@b.example\r\nTo: c@d.example\r\nSubject: hi\r\n',
        from: 'a@b.example',
        to: 'c@d.example',
        subject: 'hi',
        text: 'hello',
      },
      [],
    );

    expect(email).toEqual({
      from: 'a@b.example',
      to: 'c@d.example',
      subject: 'hi',
      text: 'hello',
      headers: 'From: a@b.example\r\nTo: c@d.example\r\nSubject: hi\r\n',
      references: [],
      attachments: [],
    });
  });
});

const RAW_MIME = [
  'Received: from mail.prospect.example by mx.sendgrid.net with ESMTP id abc',
  'From: =?UTF-8?Q?Zo=C3=AB_M=C3=BCller?= <zoe@prospect.example>',
  'To: Acme Roofing <hello@acme-roofing.example>',
  'Cc: ops@prospect.example',
  'Subject: =?UTF-8?B?UXVvdGUgZm9yIGEgbmV3IHJvb2Yg8J+PoA==?=',
  'Message-ID: <raw-1@prospect.example>',
  'In-Reply-To: <out-9@acme-roofing.example>',
  'References: <out-8@acme-roofing.example>',
  '  <out-9@acme-roofing.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: multipart/alternative; boundary="inner"',
  '',
  '--inner',
  'Content-Type: text/plain; charset=ISO-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Bonjour, pouvez-vous me faire un devis pour une toiture =E9t=E9 ?',
  '--inner',
  'Content-Type: text/html; charset=UTF-8',
  '',
  '<p>Bonjour, pouvez-vous me faire un devis ?</p>',
  '--inner--',
  '--outer',
  'Content-Type: image/png; name="roof.png"',
  'Content-Disposition: attachment; filename="roof.png"',
  'Content-Transfer-Encoding: base64',
  '',
  BINARY.toString('base64').replace(/.{76}/g, '$&\r\n'),
  '--outer--',
  '',
].join('\r\n');

describe('parseSendGridInbound, "send raw" mode', () => {
  const rawFields = (overrides: Record<string, string | Buffer> = {}): Record<string, string | Buffer> => ({
    dkim: '{@prospect.example : pass}',
    email: RAW_MIME,
    to: 'Acme Roofing <hello@acme-roofing.example>',
    from: 'Zoë Müller <zoe@prospect.example>',
    subject: 'Quote for a new roof 🏠',
    sender_ip: '209.85.128.42',
    envelope: '{"to":["hello@acme-roofing.example"],"from":"zoe@prospect.example"}',
    charsets: '{"to":"UTF-8","from":"UTF-8","subject":"UTF-8"}',
    spam_score: '1.5',
    SPF: 'pass',
    ...overrides,
  });

  it('takes the body, the header block and the attachments from the MIME message', async () => {
    const email = await parse(rawFields(), []);

    expect(email).toMatchObject({
      from: 'Zoë Müller <zoe@prospect.example>',
      to: 'Acme Roofing <hello@acme-roofing.example>',
      subject: 'Quote for a new roof 🏠',
      envelope: { to: ['hello@acme-roofing.example'], from: 'zoe@prospect.example' },
      spamScore: 1.5,
      messageId: '<raw-1@prospect.example>',
      inReplyTo: '<out-9@acme-roofing.example>',
      references: ['<out-8@acme-roofing.example>', '<out-9@acme-roofing.example>'],
    });
    expect(email.text?.trim()).toBe('Bonjour, pouvez-vous me faire un devis pour une toiture été ?');
    expect(email.html?.trim()).toBe('<p>Bonjour, pouvez-vous me faire un devis ?</p>');
    expect(email.headers.startsWith('Received: from mail.prospect.example')).toBe(true);
    expect(email.headers).toContain('Content-Type: multipart/mixed; boundary="outer"');
    expect(email.headers).not.toContain('--outer');
    expect(email.attachments).toHaveLength(1);
    expect(email.attachments[0]).toMatchObject({
      field: 'attachment1',
      filename: 'roof.png',
      contentType: 'image/png',
      size: BINARY.length,
    });
    expect(email.attachments[0]?.content.equals(BINARY)).toBe(true);
  });

  it('fills from, to, cc and subject from the MIME headers when SendGrid left them out', async () => {
    const fields = rawFields();
    delete fields.from;
    delete fields.to;
    delete fields.subject;

    const email = await parse(fields, []);

    expect(email.from).toBe('"Zoë Müller" <zoe@prospect.example>');
    expect(email.to).toBe('"Acme Roofing" <hello@acme-roofing.example>');
    expect(email.cc).toBe('ops@prospect.example');
    expect(email.subject).toBe('Quote for a new roof 🏠');
  });

  it('keeps 8-bit bytes of the raw message intact', async () => {
    const eightBit = Buffer.concat([
      Buffer.from(
        'From: a@b.example\r\nMessage-ID: <8bit@b.example>\r\nContent-Type: text/plain; charset=UTF-8\r\n',
      ),
      Buffer.from('Content-Transfer-Encoding: 8bit\r\n\r\nPrêt à signer aujourd’hui 👍\r\n'),
    ]);

    const email = await parse({ email: eightBit, from: 'a@b.example', to: 'c@d.example' }, []);

    expect(email.text?.trim()).toBe('Prêt à signer aujourd’hui 👍');
    expect(email.messageId).toBe('<8bit@b.example>');
  });
});

describe('parseSendGridInbound, refusals', () => {
  it('refuses a body that is not multipart/form-data with 415, naming the type it got', async () => {
    for (const [body, type] of [
      ['from=a%40b.example', 'application/x-www-form-urlencoded'],
      ['{"from":"a@b.example","text":"hi"}', 'application/json'],
      ['{"from":"a@b.example"}', ''],
    ] as const) {
      const error = await parseError(parseSendGridInbound(Buffer.from(body), type, LIMITS));
      expect(error.statusCode, type).toBe(415);
      expect(error.message, type).toBe(`Expected multipart/form-data, got ${type || 'no content type'}`);
    }
  });

  it('refuses multipart without a boundary with 400', async () => {
    const { body } = buildMultipart({ from: 'a@b.example' });
    const error = await parseError(parseSendGridInbound(body, 'multipart/form-data;', LIMITS));
    expect(error.statusCode).toBe(400);
  });

  it('refuses a truncated multipart body with 400', async () => {
    const { body, contentType } = buildMultipart(defaultModeFields(), FILES);
    const error = await parseError(
      parseSendGridInbound(body.subarray(0, body.length / 2), contentType, LIMITS),
    );
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/malformed/i);
  });

  it('refuses a post without from with 400', async () => {
    const fields = defaultModeFields();
    delete fields.from;
    const error = await parseError(parse(fields));
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('from');
  });

  it('refuses a post whose from is blank with 400', async () => {
    const error = await parseError(parse(defaultModeFields({ from: '   ' })));
    expect(error.statusCode).toBe(400);
  });

  it('refuses a body over maxBytes with 413', async () => {
    const big = {
      field: 'attachment1',
      filename: 'big.bin',
      contentType: 'application/octet-stream',
      content: Buffer.alloc(2048),
    };
    const error = await parseError(parse(defaultModeFields(), [big], { maxBytes: 1024 }));
    expect(error.statusCode).toBe(413);
  });

  it('accepts a mail with more files than maxFiles, keeping its text and the first maxFiles files', async () => {
    const files = [1, 2, 3].map((n) => ({
      field: `attachment${n}`,
      filename: `f${n}.txt`,
      contentType: 'text/plain',
      content: Buffer.from(`file ${n}`),
    }));
    const email = await parse(defaultModeFields(), files, { ...LIMITS, maxFiles: 2 });
    expect(email.text).toContain('quote a new roof');
    expect(email.attachments.map((a) => a.filename)).toEqual(['f1.txt', 'f2.txt']);
  });

  it('refuses more fields than maxFields with 413', async () => {
    const error = await parseError(parse(defaultModeFields(), [], { ...LIMITS, maxFields: 5 }));
    expect(error.statusCode).toBe(413);
  });

  it('refuses more parts than maxParts with 413 and accepts exactly maxParts', async () => {
    const fields = { from: 'a@b.example', to: 'c@d.example', subject: 's' };
    await expect(parse(fields, [], { ...LIMITS, maxParts: 3 })).resolves.toBeDefined();
    const error = await parseError(parse(fields, [], { ...LIMITS, maxParts: 2 }));
    expect(error.statusCode).toBe(413);
  });
});

describe('readThreadingHeaders', () => {
  it('matches header names case-insensitively and keeps a Message-ID without brackets', () => {
    expect(
      readThreadingHeaders('MESSAGE-ID: bare-id@example.com\r\nin-reply-to: <a@x> (comment)\r\n'),
    ).toEqual({
      messageId: 'bare-id@example.com',
      inReplyTo: '<a@x>',
      references: [],
    });
  });

  it('finds nothing in an empty header block', () => {
    expect(readThreadingHeaders('')).toEqual({ references: [] });
  });
});
