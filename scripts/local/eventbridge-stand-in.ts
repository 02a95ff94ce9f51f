/**
 * A loopback EventBridge that speaks enough of the AWS JSON 1.1 protocol for the real
 * `@aws-sdk/client-eventbridge` `PutEventsCommand` to work against it (client `endpoint` pointed
 * here, any credentials). It validates entries as EventBridge does, reporting per-entry failures
 * with `ErrorCode`/`ErrorMessage` and counting them in `FailedEntryCount`, builds the event envelope
 * EventBridge would deliver, and awaits `onEvents(envelopes)` before answering, so an accepted event
 * is already queued when the SDK call returns. Signatures are not checked.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The event as EventBridge delivers it to a target (and as it lands in an SQS body). */
export interface EventBridgeEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** ISO 8601 without milliseconds, e.g. 2025-01-02T03:04:05Z. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export interface EventBridgeStandInOptions {
  /** Receives the accepted events of one PutEvents call, before the call is answered. */
  readonly onEvents: (envelopes: EventBridgeEnvelope[]) => Promise<void> | void;
  readonly region?: string;
  readonly account?: string;
  /**
   * When set, entries must name this bus (by name or ARN); entries naming another bus, or none
   * (the default bus) when this is not 'default', fail with ResourceNotFoundException so a
   * misrouted publish is loud locally. When unset, any bus is accepted.
   */
  readonly eventBusName?: string;
  readonly clock?: () => number;
  /** Called when `onEvents` throws (its entries are answered with InternalFailure). Default: stderr. */
  readonly logger?: (message: string, error: unknown) => void;
}

export interface EventBridgeStandIn {
  readonly server: Server;
  readonly port: number;
  /** e.g. http://127.0.0.1:4010, to use as the client's `endpoint`. */
  readonly url: string;
  close(): Promise<void>;
}

const JSON_11 = 'application/x-amz-json-1.1';
const MAX_ENTRIES = 10;
/** PutEvents: the entries of one request together must stay within 256 KB. */
const MAX_ENTRIES_BYTES = 256 * 1024;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A node:http request listener for the stand-in. */
export function createEventBridgeHandler(
  options: EventBridgeStandInOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(req, options).then(
      (result) => send(res, 200, result),
      (error: unknown) => {
        if (error instanceof AwsError) {
          send(res, error.status, { __type: error.type, message: error.message }, error.type);
        } else {
          (options.logger ?? defaultLogger)('EventBridge stand-in failed', error);
          send(
            res,
            500,
            { __type: 'InternalException', message: 'Internal service error.' },
            'InternalException',
          );
        }
      },
    );
  };
}

/** Starts the stand-in on `host:port` (default 127.0.0.1, a free port). */
export async function startEventBridgeStandIn(
  options: EventBridgeStandInOptions & { readonly port?: number; readonly host?: string },
): Promise<EventBridgeStandIn> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(createEventBridgeHandler(options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

async function handle(req: IncomingMessage, options: EventBridgeStandInOptions): Promise<unknown> {
  const target = req.headers['x-amz-target'];
  const body = await readBody(req);
  if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
    throw new AwsError('UnknownOperationException', `${req.method} ${req.url} is not supported`);
  }
  if (target !== 'AWSEvents.PutEvents') {
    throw new AwsError(
      'UnknownOperationException',
      `Unknown operation ${String(target ?? '(no X-Amz-Target)')}`,
    );
  }
  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Request body is not valid JSON');
  }
  const entries = isRecord(request) ? request.Entries : undefined;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (entries.length > MAX_ENTRIES) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
    );
  }
  const totalSize = entries.reduce((sum: number, entry: unknown) => sum + entrySize(entry), 0);
  if (totalSize > MAX_ENTRIES_BYTES) {
    throw new AwsError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }

  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '000000000000';
  const now = (options.clock ?? Date.now)();
  const results: PutEventsResultEntry[] = [];
  const accepted: { index: number; envelope: EventBridgeEnvelope }[] = [];
  entries.forEach((entry: unknown, index) => {
    const outcome = toEnvelope(entry, { region, account, now, eventBusName: options.eventBusName });
    if ('ErrorCode' in outcome) {
      results[index] = outcome;
    } else {
      accepted.push({ index, envelope: outcome });
      results[index] = { EventId: outcome.id };
    }
  });

  if (accepted.length > 0) {
    try {
      await options.onEvents(accepted.map((a) => a.envelope));
    } catch (error) {
      (options.logger ?? defaultLogger)('Delivering events failed', error);
      for (const { index } of accepted) {
        results[index] = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service error.' };
      }
    }
  }
  return {
    FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length,
    Entries: results,
  };
}

function toEnvelope(
  entry: unknown,
  ctx: { region: string; account: string; now: number; eventBusName: string | undefined },
): EventBridgeEnvelope | { ErrorCode: string; ErrorMessage: string } {
  if (!isRecord(entry)) return invalid('Entry', 'Entry must be an object.');
  const { Source, DetailType, Detail, Resources, Time, EventBusName } = entry;
  if (ctx.eventBusName !== undefined) {
    const named = typeof EventBusName === 'string' && EventBusName !== '' ? EventBusName : 'default';
    const busName = named.startsWith('arn:') ? named.slice(named.lastIndexOf('/') + 1) : named;
    if (busName !== ctx.eventBusName) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${named} does not exist.` };
    }
  }
  if (typeof Source !== 'string' || Source === '') return invalid('Source', 'Source is a required argument.');
  if (Source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  if (typeof DetailType !== 'string' || DetailType === '') {
    return invalid('DetailType', 'DetailType is a required argument.');
  }
  if (typeof Detail !== 'string' || Detail === '') return invalid('Detail', 'Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (!isRecord(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  let resources: string[] = [];
  if (Resources !== undefined && Resources !== null) {
    if (!Array.isArray(Resources) || !Resources.every((r) => typeof r === 'string')) {
      return invalid('Resources', 'Resources must be a list of strings.');
    }
    resources = Resources;
  }
  let time = ctx.now;
  if (Time !== undefined && Time !== null) {
    const parsed =
      typeof Time === 'number' ? Time * 1000 : typeof Time === 'string' ? Date.parse(Time) : Number.NaN;
    if (!Number.isFinite(parsed)) return invalid('Time', 'Time is not a valid timestamp.');
    time = parsed;
  }
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': DetailType,
    source: Source,
    account: ctx.account,
    time: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: ctx.region,
    resources,
    detail,
  };
}

function invalid(parameter: string, reason: string): { ErrorCode: string; ErrorMessage: string } {
  return {
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
  };
}

/** EventBridge's PutEvents entry size: Time 14 bytes, plus the UTF-8 bytes of Source, DetailType, Detail and Resources. */
function entrySize(entry: unknown): number {
  if (!isRecord(entry)) return 0;
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  let size = entry.Time === undefined || entry.Time === null ? 0 : 14;
  size += bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail);
  if (Array.isArray(entry.Resources)) for (const resource of entry.Resources) size += bytes(resource);
  return size;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += (chunk as Buffer).length;
    if (length > MAX_REQUEST_BYTES) throw new AwsError('ValidationException', 'Request is too large.', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, payload: unknown, errorType?: string): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(body);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function defaultLogger(message: string, error: unknown): void {
  console.error(`${message}:`, error);
}
