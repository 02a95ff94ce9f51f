import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { OUTBOX_KINDS, type OutboxFilter, SandboxOutbox } from '#shared/adapters/sandbox/sandbox-outbox.ts';
import { buildConsentReport, type ConsentReport, timelineToCsv } from '#shared/compliance/consent-report.ts';
import { normaliseContact } from '#shared/domain/contact.ts';
import { displayedStatus } from '#shared/domain/lead-status.ts';
import type { LeadView } from '#shared/ports/lead-store.ts';
import type { DurableQueue } from './durable-queue.ts';

export interface QueueView {
  subscriber: string;
  visible: number;
  inFlight: number;
  delayed: number;
  deadLettered: number;
}

export interface Inspector {
  leads(): Promise<LeadView[]>;
  lead(leadId: string): Promise<LeadView | undefined>;
  outbox(filter?: OutboxFilter): ReturnType<SandboxOutbox['list']>;
  /** A contact's consent report (state, ledger and messages); undefined for something that is no contact. */
  consent(contact: string): Promise<ConsentReport | undefined>;
  queues(): QueueView[];
  /** Moves a subscriber's dead-lettered messages back to its queue (SQS StartMessageMoveTask); resolves with how many. */
  redrive(subscriber: string): Promise<number>;
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/**
 * `/local/outbox?kind=sms&to=+15125550123&since=2026-11-21T15:00:00Z`: `to` is matched as recorded,
 * a phone number or email in any usual form first normalised (E.164, lower case).
 */
const OutboxQuery = z.object({
  kind: z.enum(OUTBOX_KINDS).optional(),
  // A phone number in any usual form (a `+` left unencoded arrives as a space), with or without
  // `whatsapp:`; a phone matches its texts and its WhatsApp messages alike.
  to: z
    .string()
    .max(320)
    .transform((raw) => {
      const to = raw
        .replace(/^ (?=\d)/, '+')
        .trim()
        .replace(/^whatsapp:/i, '');
      const contact = normaliseContact(to);
      if (contact?.kind === 'phone') return [contact.value, `whatsapp:${contact.value}`];
      return contact?.value ?? to;
    })
    .refine((to) => to.length > 0, 'a recipient is needed')
    .optional(),
  // A time (ISO 8601, with its offset) or a day (UTC midnight).
  since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .transform((since) => new Date(since).toISOString())
    .optional(),
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
};

const csv = (res: ServerResponse, body: string) => {
  res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
  res.end(body);
};

/**
 * The JSON views of the local runtime (leads, the sandbox outbox, the queues), read-only but for
 * one action: `POST /local/queues/{subscriber}/redrive`, which `npm run redrive -- --local` calls.
 * It runs inside the runtime, on the same queue objects the pollers use, so it is safe while the
 * pipeline runs (acting on the queue files from another process would not be).
 */
export const createInspector = (options: {
  tableName: string;
  queues: ReadonlyMap<string, { queue: DurableQueue; deadLetter: DurableQueue }>;
}): Inspector => {
  // Built lazily: the SDK client must see the endpoints the runtime sets up first.
  let store: DynamoLeadStore | undefined;
  let outboxStore: SandboxOutbox | undefined;
  const leadStore = () => (store ??= new DynamoLeadStore(documentClient(), options.tableName));
  const outboxOf = () => (outboxStore ??= new SandboxOutbox(documentClient(), options.tableName));

  const view = async (leadId: string): Promise<LeadView | undefined> => {
    const lead = await leadStore().getLead(leadId);
    if (!lead) return undefined;
    const [messages, meetings, optOut, emailUnreachable, consent] = await Promise.all([
      leadStore().getMessages(leadId),
      leadStore().getMeetings(leadId),
      leadStore().getOptOut(lead.contact),
      lead.email ? leadStore().getEmailUnreachable(lead.email) : undefined,
      leadStore().getConsentLedger(lead.contact),
    ]);
    return {
      ...lead,
      status: displayedStatus(lead.status, optOut?.optedOut ?? false),
      messages,
      meetings,
      optOut: optOut ?? null,
      emailUnreachable: emailUnreachable ?? null,
      consent,
    };
  };

  const inspector: Inspector = {
    leads: async () => {
      // Each lead once: dynalite writes an item and its index entries as separate LevelDB writes,
      // so a runtime killed between them (the soak's SIGKILL) can leave a stale entry that lists
      // the lead a second time. DynamoDB's own indexes never do.
      const leadIds = new Set((await leadStore().listLeads()).map((l) => l.leadId));
      return (await Promise.all([...leadIds].map((leadId) => view(leadId)))).filter(
        (l): l is LeadView => l !== undefined,
      );
    },
    lead: view,
    outbox: (filter) => outboxOf().list(filter),
    consent: async (raw) => {
      const contact = normaliseContact(raw);
      return contact ? buildConsentReport(leadStore(), contact.value) : undefined;
    },
    queues: () =>
      [...options.queues].map(([subscriber, { queue, deadLetter }]) => {
        const stats = queue.stats();
        const dead = deadLetter.stats();
        return {
          subscriber,
          visible: stats.visible,
          inFlight: stats.inFlight,
          delayed: stats.delayed,
          deadLettered: dead.visible + dead.inFlight + dead.delayed,
        };
      }),
    redrive: async (subscriber) => {
      const queues = options.queues.get(subscriber);
      if (!queues) throw new Error(`No queue for subscriber "${subscriber}"`);
      return queues.deadLetter.moveMessagesTo(queues.queue);
    },
    handle: async (req, res, path) => {
      const redriveMatch = /^\/local\/queues\/([^/]+)\/redrive$/.exec(path);
      if (redriveMatch) {
        if (req.method !== 'POST') return json(res, 405, { message: 'Use POST to redrive' });
        const subscriber = decodeURIComponent(redriveMatch[1]!);
        if (!options.queues.has(subscriber)) {
          return json(res, 404, {
            message: `No subscriber "${subscriber}"`,
            subscribers: [...options.queues.keys()],
          });
        }
        return json(res, 200, { subscriber, moved: await inspector.redrive(subscriber) });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return json(res, 405, { message: 'Read-only: use GET' });
      if (path === '/health') return json(res, 200, { status: 'ok' });
      if (path === '/local/leads') return json(res, 200, await inspector.leads());
      const leadMatch = /^\/local\/leads\/([^/]+)$/.exec(path);
      if (leadMatch) {
        const lead = await view(decodeURIComponent(leadMatch[1]!));
        return lead ? json(res, 200, lead) : json(res, 404, { message: `No lead ${leadMatch[1]}` });
      }
      if (path === '/local/outbox') {
        const query = OutboxQuery.safeParse(
          Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams),
        );
        if (!query.success) {
          return json(res, 400, {
            message: query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          });
        }
        return json(res, 200, await inspector.outbox(query.data));
      }
      const consentMatch = /^\/local\/consent\/([^/]+?)(\.csv)?$/.exec(path);
      if (consentMatch) {
        const raw = decodeURIComponent(consentMatch[1]!);
        const report = await inspector.consent(raw);
        if (!report) return json(res, 400, { message: `"${raw}" is not a phone number or an email address` });
        return consentMatch[2] ? csv(res, timelineToCsv(report.timeline)) : json(res, 200, report);
      }
      if (path === '/local/queues') return json(res, 200, inspector.queues());
      return json(res, 404, {
        message: `Nothing at ${path}`,
        try: [
          '/health',
          '/local/leads',
          '/local/leads/{leadId}',
          '/local/outbox?kind=&to=&since=',
          '/local/consent/{phone or email}[.csv]',
          '/local/queues',
          'POST /local/queues/{subscriber}/redrive',
        ],
      });
    },
  };
  return inspector;
};
