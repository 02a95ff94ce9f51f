import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it. `body` is the parsed JSON, or the raw text if not JSON. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What the fake answers to the next request. */
export type FakeReply =
  /** A completion whose `message.content` is `content`. */
  | { kind: 'completion'; content: string; finishReason?: 'stop' | 'length' | 'content_filter' }
  | { kind: 'refusal'; refusal: string }
  /** An API error; `retryAfter` (seconds) becomes the Retry-After header. */
  | { kind: 'error'; status: number; retryAfter?: string }
  /** Waits `ms` before answering with `then`, to run past a client's timeout. */
  | { kind: 'delay'; ms: number; then: FakeReply };

export const reply = {
  /** A structured-output answer: `value` is sent as the JSON string content. */
  completion: (value: unknown): FakeReply => ({ kind: 'completion', content: JSON.stringify(value) }),
  /** Content that is not JSON at all. */
  invalidContent: (text = 'Sure! The intent is new_lead.'): FakeReply => ({
    kind: 'completion',
    content: text,
  }),
  refusal: (refusal = "I'm sorry, I can't help with that."): FakeReply => ({ kind: 'refusal', refusal }),
  error: (status: number, retryAfter?: string): FakeReply =>
    retryAfter === undefined ? { kind: 'error', status } : { kind: 'error', status, retryAfter },
  delayed: (ms: number, then: FakeReply): FakeReply => ({ kind: 'delay', ms, then }),
};

/**
 * A loopback stand-in for `POST /v1/chat/completions`, for the real `openai` SDK pointed at it
 * with `baseURL`. It records every request and answers from a queue; with the queue empty it
 * answers 500 with `x-should-retry: false`, so a test that sends more than it expected fails
 * instead of hanging.
 */
export class OpenAiFake {
  readonly requests: RecordedRequest[] = [];
  readonly #queue: FakeReply[] = [];
  readonly #named = new Map<string, FakeReply[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = parseJson(Buffer.concat(chunks).toString('utf8'));
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        sendJson(res, 404, { error: { message: `openai-fake: no route ${req.method} ${req.url}` } });
        return;
      }
      const model =
        typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string'
          ? body.model
          : 'unknown';
      this.#answer(res, this.#nextReply(body), model);
    });
  });
  #completions = 0;

  /** Queues replies, answered in order, one per request. */
  enqueue(...replies: FakeReply[]): this {
    this.#queue.push(...replies);
    return this;
  }

  /**
   * Queues replies for requests whose structured-output schema has this name (e.g.
   * `qualification`, `reply_draft`), answered before the shared queue; for pipelines that ask the
   * model more than one thing, in an order the test does not fix.
   */
  enqueueFor(schemaName: string, ...replies: FakeReply[]): this {
    const queue = this.#named.get(schemaName) ?? [];
    queue.push(...replies);
    this.#named.set(schemaName, queue);
    return this;
  }

  /** Requests whose structured-output schema has this name, in the order received. */
  requestsFor(schemaName: string): RecordedRequest[] {
    return this.requests.filter((request) => schemaNameOf(request.body) === schemaName);
  }

  #nextReply(body: unknown): FakeReply | undefined {
    const name = schemaNameOf(body);
    const named = name === undefined ? undefined : this.#named.get(name);
    return named?.shift() ?? this.#queue.shift();
  }

  /** `http://127.0.0.1:PORT/v1`, the SDK's `baseURL`. */
  get baseUrl(): string {
    const address = this.#server.address() as AddressInfo | null;
    if (address === null) throw new Error('openai-fake is not started');
    return `http://127.0.0.1:${address.port}/v1`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.#server.close((err) => (err ? reject(err) : resolve())),
    );
  }

  #answer(res: ServerResponse, next: FakeReply | undefined, model: string): void {
    if (next === undefined) {
      sendJson(
        res,
        500,
        { error: { message: 'openai-fake: no reply queued', type: 'server_error' } },
        {
          'x-should-retry': 'false',
        },
      );
      return;
    }
    switch (next.kind) {
      case 'delay': {
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          // The client may have given up (timed out) meanwhile.
          if (!res.destroyed) this.#answer(res, next.then, model);
        }, next.ms);
        this.#timers.add(timer);
        return;
      }
      case 'error':
        sendJson(
          res,
          next.status,
          {
            error: {
              message: `openai-fake: HTTP ${next.status}`,
              type: 'server_error',
              code: null,
              param: null,
            },
          },
          next.retryAfter === undefined ? {} : { 'retry-after': next.retryAfter },
        );
        return;
      case 'refusal':
        sendJson(res, 200, this.#completion(model, { content: null, refusal: next.refusal }, 'stop'));
        return;
      case 'completion':
        sendJson(
          res,
          200,
          this.#completion(model, { content: next.content, refusal: null }, next.finishReason ?? 'stop'),
        );
        return;
    }
  }

  #completion(
    model: string,
    message: { content: string | null; refusal: string | null },
    finishReason: string,
  ) {
    this.#completions += 1;
    const completionTokens = Math.ceil((message.content ?? message.refusal ?? '').length / 4);
    return {
      id: `chatcmpl-fake-${this.#completions}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', ...message, annotations: [] },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage: {
        prompt_tokens: 100,
        completion_tokens: completionTokens,
        total_tokens: 100 + completionTokens,
      },
      system_fingerprint: 'fp_openai_fake',
    };
  }
}

/** `response_format.json_schema.name` of a chat completion request, if it has one. */
function schemaNameOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('response_format' in body)) return undefined;
  const format = body.response_format;
  if (typeof format !== 'object' || format === null || !('json_schema' in format)) return undefined;
  const schema = format.json_schema;
  if (typeof schema !== 'object' || schema === null || !('name' in schema)) return undefined;
  return typeof schema.name === 'string' ? schema.name : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_fake_${Date.now()}`,
    ...headers,
  });
  res.end(text);
}
