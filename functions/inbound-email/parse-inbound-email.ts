import busboy from 'busboy';
import PostalMime, { type Address, type Email } from 'postal-mime';
import * as z from 'zod';
import { decodeFlowed } from '#shared/domain/mail/flowed-text.ts';
import { decodeCharset } from './charsets.ts';

/**
 * Parsing of SendGrid Inbound Parse posts (`multipart/form-data`), in both of its modes:
 * the default one (SendGrid split the mail into `from`, `to`, `subject`, `text`, `html`,
 * `headers`, `attachmentN` … fields) and "send raw" (one `email` field holds the whole MIME
 * message, which is parsed here with postal-mime).
 *
 * Pure: no I/O beyond the buffer it is given. The handler authenticates first, then calls this.
 */

/** A file that came with the mail. */
export interface InboundAttachment {
  /** Form field it came in (`attachment1`…); in raw mode `attachmentN` numbered in MIME order. */
  field: string;
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
  /** Content-ID (without angle brackets) when the file is referenced from the HTML, e.g. an inline image. */
  contentId?: string;
  /** Why the file's bytes were not kept (over a size limit); `content` is then empty. */
  skipped?: string;
}

export interface ParsedInboundEmail {
  from: string;
  to: string;
  cc?: string;
  subject: string;
  text?: string;
  html?: string;
  /** The raw header block of the mail, as SendGrid passed it (or as it stands in the raw MIME). */
  headers: string;
  envelope?: { to: string[]; from: string };
  /** Message-ID with its angle brackets, e.g. `<abc@mail.example.com>`. */
  messageId?: string;
  /** First message id of In-Reply-To, with its angle brackets. */
  inReplyTo?: string;
  /** Message ids of References, in order, with their angle brackets. */
  references: string[];
  spamScore?: number;
  attachments: InboundAttachment[];
  /** The `charsets` field SendGrid sent (field name → charset). */
  charsets?: Record<string, string>;
}

export interface InboundEmailLimits {
  /** Largest body accepted, in bytes; larger is a 413. */
  maxBytes: number;
  /** Largest attachment whose bytes are kept; a larger one is listed with `skipped`. Default `maxBytes`. */
  maxAttachmentBytes?: number;
  /** Most attachment bytes kept in all; files past it are listed with `skipped`. Default `maxBytes`. */
  maxKeptAttachmentBytes?: number;
  /** Most files (attachments) read; more are left out, the mail is still accepted. Default 50. */
  maxFiles?: number;
  /** Most non-file fields accepted; more is a 413. Default 100. */
  maxFields?: number;
  /** Most parts (fields and files) accepted; more is a 413. Default 200. */
  maxParts?: number;
}

/** Why a post could not be parsed; `statusCode` is what the webhook should answer. */
export class InboundEmailParseError extends Error {
  override readonly name = 'InboundEmailParseError';
  constructor(
    message: string,
    readonly statusCode: 400 | 413 | 415,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The text fields of a Parse post that Leadline uses; others (dkim, SPF, sender_ip, …) pass through. */
export const SendGridInboundFields = z
  .object({
    from: z.string().trim().min(1, 'from is required'),
    to: z.string().trim().default(''),
    cc: z.string().trim().optional(),
    subject: z.string().default(''),
    text: z.string().optional(),
    html: z.string().optional(),
    headers: z.string().default(''),
    envelope: z.string().optional(),
    spam_score: z.string().optional(),
    charsets: z.string().optional(),
    'attachment-info': z.string().optional(),
  })
  .loose();
export type SendGridInboundFields = z.infer<typeof SendGridInboundFields>;

const Envelope = z.object({ to: z.array(z.string()), from: z.string() });
const Charsets = z.record(z.string(), z.string());
const AttachmentInfo = z.record(
  z.string(),
  z
    .object({
      filename: z.string().optional(),
      type: z.string().optional(),
      'content-id': z.string().optional(),
    })
    .loose(),
);

const DEFAULT_LIMITS = { maxFiles: 50, maxFields: 100, maxParts: 200 } as const;

/** Field that carries the whole MIME message in "send raw" mode. */
const RAW_FIELD = 'email';

/**
 * Parses a SendGrid Inbound Parse body.
 *
 * @param body the raw request body (base64-decoded when API Gateway flagged it `isBase64Encoded`)
 * @param contentType the request's `Content-Type` header, with its boundary
 * @throws InboundEmailParseError 415 when not multipart/form-data; 400 when malformed or without `from`;
 *   413 when over `maxBytes` or over the part/file/field limits
 */
export const parseSendGridInbound = async (
  body: Buffer,
  contentType: string,
  limits: InboundEmailLimits,
): Promise<ParsedInboundEmail> => {
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  if (media !== 'multipart/form-data') {
    throw new InboundEmailParseError(`Expected multipart/form-data, got ${media || 'no content type'}`, 415);
  }
  if (!/;\s*boundary=/i.test(contentType)) {
    throw new InboundEmailParseError('multipart/form-data without a boundary', 400);
  }
  if (body.length > limits.maxBytes) {
    throw new InboundEmailParseError(`Body of ${body.length} bytes is over ${limits.maxBytes}`, 413);
  }
  const form = await readMultipart(body, contentType, limits);

  const charsets = parseJson(form.fields.get('charsets'), Charsets);
  const fields: Record<string, string> = {};
  for (const [name, value] of form.fields) {
    if (name !== RAW_FIELD)
      fields[name] = typeof value === 'string' ? value : decodeField(value, charsets?.[name]);
  }

  const rawField = form.fields.get(RAW_FIELD);
  const rawEmail = typeof rawField === 'string' ? Buffer.from(rawField, 'utf8') : rawField;
  const mime = rawEmail ? await parseMime(rawEmail) : undefined;
  if (mime) fillFromMime(fields, mime.email, mime.headerBlock);

  const parsed = SendGridInboundFields.safeParse(fields);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new InboundEmailParseError(`Invalid Inbound Parse post: ${problems}`, 400, { cause: parsed.error });
  }
  const f = parsed.data;
  const ids = readThreadingHeaders(f.headers);
  const spamScore = f.spam_score === undefined ? undefined : Number.parseFloat(f.spam_score);
  const attachments = keepWithinLimits(
    mime ? mime.attachments : withAttachmentInfo(form.files, f['attachment-info']),
    limits,
  );

  return {
    from: f.from,
    to: f.to,
    ...(f.cc ? { cc: f.cc } : {}),
    subject: f.subject,
    ...(f.text !== undefined ? { text: f.text } : {}),
    ...(f.html !== undefined ? { html: f.html } : {}),
    headers: f.headers,
    ...optional('envelope', parseJson(f.envelope, Envelope)),
    ...optional('messageId', ids.messageId),
    ...optional('inReplyTo', ids.inReplyTo),
    references: ids.references,
    ...optional('spamScore', Number.isFinite(spamScore) ? spamScore : undefined),
    attachments,
    ...optional('charsets', charsets),
  };
};

/* ---------------------------------------------------------------- multipart */

interface MultipartForm {
  /**
   * Field name → its raw bytes, or its text when the part's own header named a charset and
   * busboy decoded it already. The last one wins when a name repeats.
   */
  fields: Map<string, Buffer | string>;
  files: InboundAttachment[];
}

/**
 * Runs busboy over the whole body. Fields are read with the `latin1` charset, which maps each
 * byte to one code unit, so the original bytes can be recovered and decoded later with the
 * charset SendGrid names in the `charsets` field (which may arrive after the fields it names).
 */
const readMultipart = (
  body: Buffer,
  contentType: string,
  limits: InboundEmailLimits,
): Promise<MultipartForm> =>
  new Promise((resolve, reject) => {
    const maxFiles = limits.maxFiles ?? DEFAULT_LIMITS.maxFiles;
    const maxFields = limits.maxFields ?? DEFAULT_LIMITS.maxFields;
    const maxParts = limits.maxParts ?? DEFAULT_LIMITS.maxParts;
    const fields = new Map<string, Buffer | string>();
    const files: InboundAttachment[] = [];
    let settled = false;
    const fail = (error: InboundEmailParseError) => {
      if (settled) return;
      settled = true;
      reject(error);
    };

    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: { 'content-type': contentType },
        defCharset: 'latin1',
        defParamCharset: 'utf8',
        limits: {
          fieldSize: limits.maxBytes,
          fileSize: limits.maxAttachmentBytes ?? limits.maxBytes,
          files: maxFiles,
          fields: maxFields,
          // busboy reports `partsLimit` once the count *reaches* the limit, so one more than allowed.
          parts: maxParts + 1,
        },
      });
    } catch (error) {
      fail(
        new InboundEmailParseError(`Malformed multipart request: ${messageOf(error)}`, 400, { cause: error }),
      );
      return;
    }

    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new InboundEmailParseError(`Field ${name} is over the size limit`, 413));
      // Characters above U+00FF mean the part's own header named a charset and busboy decoded
      // it already; otherwise the latin1 string maps back to the original bytes one to one.
      fields.set(name, hasWideChars(value) ? value : Buffer.from(value, 'latin1'));
    });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      let truncated = false;
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      // Too large to keep: the mail (and the lead's words in it) is still accepted, the file listed.
      stream.on('limit', () => {
        truncated = true;
        chunks.length = 0;
        stream.resume();
      });
      stream.on('end', () => {
        const content = truncated ? Buffer.alloc(0) : Buffer.concat(chunks);
        files.push({
          field: name,
          filename: info.filename ?? name,
          contentType: info.mimeType,
          size,
          content,
          ...(truncated && {
            skipped: `over the ${limits.maxAttachmentBytes ?? limits.maxBytes}-byte limit per file`,
          }),
        });
      });
    });
    // Files past the limit are not read; the mail is accepted with the first ones.
    bb.on('filesLimit', () => undefined);
    bb.on('fieldsLimit', () => fail(new InboundEmailParseError(`More than ${maxFields} fields`, 413)));
    bb.on('partsLimit', () => fail(new InboundEmailParseError(`More than ${maxParts} parts`, 413)));
    bb.on('error', (error) =>
      fail(
        new InboundEmailParseError(`Malformed multipart body: ${messageOf(error)}`, 400, { cause: error }),
      ),
    );
    bb.on('close', () => {
      if (settled) return;
      settled = true;
      resolve({ fields, files });
    });
    bb.end(body);
  });

const hasWideChars = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return true;
  return false;
};

/** Decodes a field's bytes with its charset (default UTF-8); an unknown charset falls back to UTF-8. */
export const decodeField = (bytes: Buffer, charset: string | undefined): string =>
  decodeCharset(bytes, charset).text;

/**
 * Drops the bytes of files over the per-file limit or past the total kept, keeping each listed
 * with the reason: the lead's text is answered whatever the attachments weigh.
 */
const keepWithinLimits = (files: InboundAttachment[], limits: InboundEmailLimits): InboundAttachment[] => {
  const perFile = limits.maxAttachmentBytes ?? limits.maxBytes;
  let budget = limits.maxKeptAttachmentBytes ?? limits.maxBytes;
  return files.map((file) => {
    if (file.skipped) return file;
    const reason =
      file.size > perFile
        ? `over the ${perFile}-byte limit per file`
        : file.size > budget
          ? 'over the total size kept for one mail'
          : undefined;
    if (reason) return { ...file, content: Buffer.alloc(0), skipped: reason };
    budget -= file.size;
    return file;
  });
};

/** Adds Content-IDs (and names/types SendGrid left out of the part) from the `attachment-info` field. */
const withAttachmentInfo = (
  files: InboundAttachment[],
  infoJson: string | undefined,
): InboundAttachment[] => {
  const info = parseJson(infoJson, AttachmentInfo);
  if (!info) return files;
  return files.map((file) => {
    const meta = info[file.field];
    if (!meta) return file;
    const contentId = meta['content-id'] ? stripAngles(meta['content-id']) : undefined;
    return {
      ...file,
      filename: file.filename === file.field && meta.filename ? meta.filename : file.filename,
      contentType:
        file.contentType === 'application/octet-stream' && meta.type ? meta.type : file.contentType,
      ...optional('contentId', contentId),
    };
  });
};

/* ---------------------------------------------------------------- raw mode */

interface ParsedMime {
  email: Email;
  headerBlock: string;
  attachments: InboundAttachment[];
}

const parseMime = async (raw: Buffer): Promise<ParsedMime> => {
  const flowed = withoutFlowedFormat(raw);
  let email: Email;
  try {
    email = await PostalMime.parse(flowed.raw, { attachmentEncoding: 'arraybuffer' });
  } catch (error) {
    throw new InboundEmailParseError(`Malformed raw email: ${messageOf(error)}`, 400, { cause: error });
  }
  if (flowed.format && email.text !== undefined) email.text = decodeFlowed(email.text, flowed.format.delSp);
  const attachments = email.attachments.map((a, i): InboundAttachment => {
    const content =
      typeof a.content === 'string'
        ? Buffer.from(a.content, a.encoding === 'base64' ? 'base64' : 'utf8')
        : Buffer.from(a.content instanceof ArrayBuffer ? new Uint8Array(a.content) : a.content);
    const field = `attachment${i + 1}`;
    return {
      field,
      filename: a.filename ?? field,
      contentType: a.mimeType,
      size: content.length,
      content,
      ...optional('contentId', a.contentId ? stripAngles(a.contentId) : undefined),
    };
  });
  return { email, headerBlock: headerBlockOf(raw), attachments };
};

const FLOWED_CONTENT_TYPE = /^(content-type:[ \t]*text\/plain\b[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/gim;

/**
 * postal-mime unwraps `format=flowed` text without regard to quote depth (a quoted line ending
 * in a space swallows the reply under it). The parameter is renamed in the text part's header so
 * postal-mime leaves the lines alone, and `decodeFlowed` (RFC 3676 §4.5) unwraps them after.
 */
const withoutFlowedFormat = (raw: Buffer): { raw: Buffer; format?: { delSp: boolean } } => {
  const text = raw.toString('latin1');
  let format: { delSp: boolean } | undefined;
  const rewritten = text.replace(FLOWED_CONTENT_TYPE, (header) => {
    if (!/\bformat\s*=\s*"?flowed"?/i.test(header)) return header;
    format ??= { delSp: /\bdelsp\s*=\s*"?yes"?/i.test(header) };
    return header.replace(/\bformat(\s*=\s*"?)flowed/i, 'x-format$1flowed');
  });
  return format ? { raw: Buffer.from(rewritten, 'latin1'), format } : { raw };
};

/** The bytes before the first empty line, decoded as UTF-8 (RFC 6532 allows UTF-8 in headers). */
const headerBlockOf = (raw: Buffer): string => {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf === -1 ? -1 : crlf + 2, lf === -1 ? -1 : lf + 1].filter((n) => n >= 0);
  const end = ends.length > 0 ? Math.min(...ends) : raw.length;
  return raw.subarray(0, end).toString('utf8');
};

/**
 * In raw mode SendGrid still posts `from`, `to`, `subject` and `envelope`; the MIME message
 * supplies the body, the header block and anything SendGrid left out.
 */
const fillFromMime = (fields: Record<string, string>, email: Email, headerBlock: string): void => {
  fields.headers = headerBlock;
  if (email.text !== undefined) fields.text = email.text;
  else delete fields.text;
  if (email.html !== undefined) fields.html = email.html;
  else delete fields.html;
  if (!fields.from?.trim() && email.from) fields.from = formatAddresses([email.from]);
  if (!fields.to?.trim() && email.to) fields.to = formatAddresses(email.to);
  if (!fields.cc?.trim() && email.cc) fields.cc = formatAddresses(email.cc);
  if (fields.subject === undefined && email.subject !== undefined) fields.subject = email.subject;
};

const formatAddresses = (addresses: Address[]): string =>
  addresses
    .flatMap((a) => (a.group ? a.group : [a]))
    .map((m) => (m.name ? `${JSON.stringify(m.name)} <${m.address}>` : m.address))
    .join(', ');

/* ---------------------------------------------------------------- headers */

/** Unfolds a raw header block (RFC 5322 §2.2.3) into one line per header. */
export const unfoldHeaders = (block: string): string[] =>
  block
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);

/** The first value of a header (case-insensitive name), unfolded and trimmed. */
export const headerValue = (block: string, name: string): string | undefined => {
  const prefix = `${name.toLowerCase()}:`;
  const line = unfoldHeaders(block).find((l) => l.toLowerCase().startsWith(prefix));
  return line?.slice(prefix.length).trim();
};

const MSG_ID = /<[^<>\s]+>/g;

/** Message-ID, In-Reply-To and References from a raw header block. */
export const readThreadingHeaders = (
  block: string,
): { messageId?: string; inReplyTo?: string; references: string[] } => {
  const ids = (name: string): string[] => {
    const value = headerValue(block, name);
    if (!value) return [];
    const bracketed = value.match(MSG_ID);
    // A few mailers send ids without brackets; keep the bare token then.
    return bracketed ?? [value.split(/\s+/)[0] ?? value];
  };
  return {
    ...optional('messageId', ids('message-id')[0]),
    ...optional('inReplyTo', ids('in-reply-to')[0]),
    references: ids('references'),
  };
};

/* ---------------------------------------------------------------- helpers */

const parseJson = <T>(json: Buffer | string | undefined, schema: z.ZodType<T>): T | undefined => {
  if (json === undefined) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(json.toString()));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
};

const stripAngles = (id: string): string => id.trim().replace(/^<|>$/g, '');

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
