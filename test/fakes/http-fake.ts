import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a provider fake received it. */
export interface FakeRequest {
  method: string;
  /** Path with its query string, as sent. */
  url: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** JSON bodies parsed, form bodies as an object of their fields, anything else the raw text. */
  body: unknown;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is; absent means an empty body. */
  body?: unknown;
}

export type Responder = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  path: string | RegExp;
  responder: Responder;
  /** One-shot answers used, in order, before `responder`. */
  queued: Array<FakeResponse | Responder>;
}

const matches = (route: Route, method: string, path: string) =>
  route.method === method && (typeof route.path === 'string' ? route.path === path : route.path.test(path));

const parseBody = (raw: string, contentType: string | undefined): unknown => {
  if (raw === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const fields: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      const existing = fields[key];
      fields[key] =
        existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    return fields;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/**
 * A loopback HTTP stand-in for a provider's API, for the provider's real SDK pointed at it with
 * its base-URL setting. Routes answer by default; `enqueue` scripts the next answers of a route
 * (a 429 with Retry-After, a 5xx, ...). Every request is recorded, and a request no route
 * expects gets 404 with the method and path, so a test sees what the SDK really sent.
 */
export class HttpFake {
  readonly requests: FakeRequest[] = [];
  readonly #routes: Route[] = [];
  readonly #server: Server;

  private constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const parsedUrl = new URL(req.url ?? '/', 'http://fake.invalid');
        const request: FakeRequest = {
          method: req.method ?? '',
          url: req.url ?? '/',
          path: parsedUrl.pathname,
          query: parsedUrl.searchParams,
          headers: req.headers,
          rawBody,
          body: parseBody(rawBody, req.headers['content-type']),
        };
        this.requests.push(request);
        void this.#answer(request).then(
          (response) => {
            const headers: Record<string, string> = { ...response.headers };
            let payload = '';
            if (typeof response.body === 'string') payload = response.body;
            else if (response.body !== undefined) {
              payload = JSON.stringify(response.body);
              headers['content-type'] ??= 'application/json';
            }
            res.writeHead(response.status, headers).end(payload);
          },
          (error: unknown) => {
            res.writeHead(500, { 'content-type': 'text/plain' }).end(`fake failed: ${String(error)}`);
          },
        );
      });
    });
  }

  static async start(): Promise<HttpFake> {
    const fake = new HttpFake();
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** How a route answers when nothing is queued for it. A later `route` for the same path wins. */
  route(method: string, path: string | RegExp, responder: Responder | FakeResponse): this {
    const respond = typeof responder === 'function' ? responder : () => responder;
    this.#routes.unshift({ method, path, responder: respond, queued: [] });
    return this;
  }

  /** The next answers of a route already declared, used once each, in order. */
  enqueue(method: string, path: string | RegExp, ...answers: Array<FakeResponse | Responder>): this {
    const route = this.#routes.find((r) => r.method === method && String(r.path) === String(path));
    if (!route) throw new Error(`http-fake: declare ${method} ${String(path)} with route() before enqueue()`);
    route.queued.push(...answers);
    return this;
  }

  /** Requests to a path (string: exact; RegExp: test), in the order received. */
  requestsTo(method: string, path: string | RegExp): FakeRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  reset(): void {
    this.requests.length = 0;
    for (const route of this.#routes) route.queued.length = 0;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #answer(request: FakeRequest): Promise<FakeResponse> {
    const route = this.#routes.find((r) => matches(r, request.method, request.path));
    if (!route) {
      return { status: 404, body: { message: `http-fake: no route for ${request.method} ${request.path}` } };
    }
    const next = route.queued.shift() ?? route.responder;
    return typeof next === 'function' ? next(request) : next;
  }
}
