/**
 * Builds a `multipart/form-data` body the way SendGrid Inbound Parse posts one: CRLF line
 * breaks, fields without a Content-Type of their own, files with a filename and a type.
 * Dependency-free, for unit and end-to-end tests and the test-email script.
 */

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MultipartOptions {
  /** SendGrid's own boundary by default. */
  boundary?: string;
}

const CRLF = '\r\n';

const quote = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, ' ');

/**
 * @param fields text fields, in order; a string is sent as UTF-8, a Buffer byte for byte
 *   (e.g. a field in ISO-8859-1 that the `charsets` field describes)
 * @param files file parts, after the fields
 */
export const buildMultipart = (
  fields: Record<string, string | Buffer>,
  files: MultipartFile[] = [],
  options: MultipartOptions = {},
): { body: Buffer; contentType: string } => {
  const boundary = options.boundary ?? 'xYzZY';
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}${CRLF}Content-Disposition: form-data; name="${quote(name)}"${CRLF}${CRLF}`),
    );
    chunks.push(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
    chunks.push(Buffer.from(CRLF));
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}${CRLF}` +
          `Content-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.filename)}"${CRLF}` +
          `Content-Type: ${file.contentType}${CRLF}${CRLF}`,
      ),
    );
    chunks.push(file.content);
    chunks.push(Buffer.from(CRLF));
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
};
