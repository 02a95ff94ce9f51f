import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SqsLambdaHandler } from '../queue-poller.ts';

/** What changed, for the console to refetch what it shows. */
export interface LiveUpdate {
  type: 'event' | 'webhook' | 'batch' | 'redrive' | 'dead-letter';
  leadId?: string;
  detailType?: string;
  subscriber?: string;
}

/** Comment lines keep idle connections open through proxies. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Server-sent events for the local console: every change the runtime sees (an event on the bus, a
 * webhook answered, a batch done, a redrive) goes to every open `EventSource`.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();

  publish(update: LiveUpdate): void {
    const frame = `event: change\ndata: ${JSON.stringify(update)}\n\n`;
    for (const client of this.clients) client.write(frame);
  }

  /** Holds the request open as an event stream until the browser goes away. */
  subscribe(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // Reconnect quickly after a restart of the runtime.
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    req.on('close', () => {
      clearInterval(keepAlive);
      this.clients.delete(res);
    });
  }
}

/** The consumer, telling the console after each batch (statuses change without an event, e.g. a suppressed reply). */
export const observeBatches =
  (live: LiveUpdates, subscriber: string, handler: SqsLambdaHandler): SqsLambdaHandler =>
  async (event, context) => {
    try {
      return await handler(event, context);
    } finally {
      live.publish({ type: 'batch', subscriber });
    }
  };
