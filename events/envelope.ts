import * as z from 'zod';

/** EventBridge sources: webhook events come from `leadline.inbound`, everything later from `leadline.pipeline`. */
export const Source = { inbound: 'leadline.inbound', pipeline: 'leadline.pipeline' } as const;
export type Source = (typeof Source)[keyof typeof Source];

/** How a lead reaches the business and is answered; WhatsApp goes through Twilio like SMS. */
export const Channel = z.enum(['sms', 'email', 'whatsapp']);
export type Channel = z.infer<typeof Channel>;

/** Fields every event's `detail` carries (ARCHITECTURE.md, "Decisions"). */
export const DetailBase = z.object({
  version: z.literal(1),
  leadId: z.string().min(1),
  /** The inbound message's id, carried through every later event. */
  correlationId: z.string().min(1),
});

/** One event of the catalog: its schema, source and detail-type. */
export interface EventDefinition<S extends z.ZodType = z.ZodType, D extends string = string> {
  readonly source: Source;
  readonly detailType: D;
  readonly schema: S;
  /**
   * What makes two deliveries the same fact, from the detail alone (never the EventBridge event
   * id, which a republish after a crash changes): consumers process each key once (ARCHITECTURE.md, "Decisions").
   */
  readonly dedupeKey: (detail: z.infer<S>) => string;
}

/** The fact most events state about one inbound message: keyed by the message's id. */
const byMessageId = (detail: unknown) => String((detail as { messageId: unknown }).messageId);

export const defineEvent = <const D extends string, S extends z.ZodType>(
  source: Source,
  detailType: D,
  schema: S,
  dedupeKey: (detail: z.infer<S>) => string = byMessageId,
): EventDefinition<S, D> => ({ source, detailType, schema, dedupeKey });

/** The EventBridge envelope as it arrives in an SQS body (EventBridge → SQS target). */
export const EventEnvelope = z.object({
  version: z.string().optional(),
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string().optional(),
  time: z.string(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;
