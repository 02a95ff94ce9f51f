import * as z from 'zod';

/**
 * The fields of the local runtime's inspection views (`scripts/local/inspect.ts`) that the soak
 * reconciles on. Only fields, never key layouts: other fields are ignored, so the store may
 * change its keys and add fields freely.
 */
export const StoredMessage = z.object({
  messageId: z.string(),
  direction: z.enum(['in', 'out']),
  channel: z.string(),
  body: z.string(),
  at: z.string(),
  status: z.string(),
  inReplyTo: z.string().optional(),
  purpose: z.string().optional(),
  providerMessageId: z.string().optional(),
  reason: z.string().optional(),
});
export type StoredMessage = z.infer<typeof StoredMessage>;

export const LeadSnapshot = z.object({
  leadId: z.string(),
  contact: z.string(),
  messages: z.array(StoredMessage),
});
export type LeadSnapshot = z.infer<typeof LeadSnapshot>;

export const OutboxEntry = z.object({
  id: z.string(),
  kind: z.string(),
  to: z.string(),
  body: z.string(),
  at: z.string(),
  details: z.record(z.string(), z.unknown()).default({}),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

export const QueueSnapshot = z.object({
  subscriber: z.string(),
  visible: z.number(),
  inFlight: z.number(),
  delayed: z.number(),
  deadLettered: z.number(),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

const getJson = async <S extends z.ZodType>(url: string, schema: S): Promise<z.infer<S>> => {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return schema.parse(await response.json());
};

export const readLeads = (baseUrl: string) => getJson(`${baseUrl}/local/leads`, z.array(LeadSnapshot));
export const readOutbox = (baseUrl: string) => getJson(`${baseUrl}/local/outbox`, z.array(OutboxEntry));
export const readQueues = (baseUrl: string) => getJson(`${baseUrl}/local/queues`, z.array(QueueSnapshot));

/** Messages still to be handled: visible, in flight or delayed, over every queue (DLQs apart). */
export const pending = (queues: readonly QueueSnapshot[]) =>
  queues.reduce((sum, q) => sum + q.visible + q.inFlight + q.delayed, 0);

/**
 * Polls `/local/queues` until nothing is visible, in flight or delayed for `quietMs` in a row.
 * Resolves with the last view and whether it went quiet before `timeoutMs`.
 */
export const waitForQuiet = async (
  baseUrl: string,
  options: { quietMs: number; timeoutMs: number; pollMs?: number },
): Promise<{ quiet: boolean; queues: QueueSnapshot[] }> => {
  const deadline = Date.now() + options.timeoutMs;
  let quietSince: number | undefined;
  for (;;) {
    const queues = await readQueues(baseUrl);
    const now = Date.now();
    if (pending(queues) === 0) {
      quietSince ??= now;
      if (now - quietSince >= options.quietMs) return { quiet: true, queues };
    } else {
      quietSince = undefined;
    }
    if (now > deadline) return { quiet: false, queues };
    await new Promise((done) => setTimeout(done, options.pollMs ?? 250));
  }
};
