import { AssociationTypes, Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { AssociationSpecAssociationCategoryEnum as DealAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import { AssociationSpecAssociationCategoryEnum as NoteAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/notes/index.js';
import * as z from 'zod';
import {
  type ConversationEntry,
  conversationEntries,
  entryTitle,
  leadFacts,
  redact,
  splitName,
} from '#shared/adapters/crm-record.ts';
import {
  callProvider,
  defaultRetryBudget,
  providerError,
  type RetryBudget,
} from '#shared/adapters/provider-call.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import type { Crm, CrmLeadRecord } from '#shared/ports/outbound.ts';
import type { HubSpotSettings } from './settings.ts';

const PROVIDER = 'HubSpot';

// The default options of the hs_lead_status property.
const LEAD_STATUS: Record<string, string> = {
  new: 'NEW',
  engaged: 'CONNECTED',
  booked: 'IN_PROGRESS',
  spam: 'UNQUALIFIED',
  wrong_number: 'UNQUALIFIED',
  opted_out: 'UNQUALIFIED',
};

/** The SDK's `ApiException`: HTTP status, response headers and the parsed error body. */
const ApiFailure = z.object({
  code: z.number().int(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown(),
});
/** https://developers.hubspot.com/docs/api/error-handling: `{status:'error', message, category, correlationId}` */
const ErrorBody = z.object({
  message: z.string().optional(),
  category: z.string().optional(),
  correlationId: z.string().optional(),
});
const UpsertResults = z.object({
  results: z.array(z.object({ id: z.string(), _new: z.boolean().optional() })),
  errors: z.array(ErrorBody).optional(),
});
const Found = z.object({ results: z.array(z.object({ id: z.string() })) });
const Created = z.object({ id: z.string() });
const AssociationPage = z.object({
  results: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]).transform(String) })),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});
const ReadObjects = z.object({
  results: z.array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()) })),
});

/** Whoever wrote a note or deal, its ref line says which message or lead it stands for. */
const NOTE_REF = /Leadline ref (ld_[0-9a-f]+-[0-9a-f]{24})/;
const dealRef = (externalId: string) => `Leadline ref ${externalId}`;

const EXISTING_ID = /Existing ID: (\d+)/;

/**
 * The CRM port on HubSpot through @hubspot/api-client: the contact is upserted by
 * `HUBSPOT_ID_PROPERTY` (see settings.ts), with lead status, score and grade; each message of the
 * conversation becomes a Note on the contact, and a hot lead gets one Deal when
 * `HUBSPOT_CREATE_DEALS` is on.
 *
 * Notes and deals have no key of ours HubSpot could upsert on, so each carries a ref line
 * ("Leadline ref …") and what the contact already has is read through its associations, which,
 * unlike search, are current at once: a retried sync creates only what is missing. Two syncs of the
 * same lead at once (crm-sync runs two at a time) can both create the same note; whoever created
 * something reads the associations again and archives the copies, keeping the lowest id, so both
 * converge on one.
 *
 * Retries: the SDK's own retry (`numberOfApiCallRetries`) ignores Retry-After and waits up to a
 * minute, so it stays off and `callProvider` is the one layer that retries.
 */
export class HubSpotCrm implements Crm {
  readonly provider = 'hubspot';
  readonly #client: Client;
  readonly #settings: HubSpotSettings;
  readonly #budget: RetryBudget;

  constructor(settings: HubSpotSettings, budget: RetryBudget = defaultRetryBudget) {
    this.#settings = settings;
    this.#budget = budget;
    this.#client = new Client({
      accessToken: settings.HUBSPOT_ACCESS_TOKEN,
      basePath: settings.HUBSPOT_BASE_PATH,
      numberOfApiCallRetries: 0,
    });
  }

  async upsertLead(record: CrmLeadRecord): Promise<{ crmId: string; created: boolean }> {
    const contact = await this.#call(() => this.#upsertContact(record));
    await this.#call(() => this.#logNotes(contact.id, conversationEntries(record)));
    if (this.#settings.HUBSPOT_CREATE_DEALS && record.grade === 'hot' && !record.optedOut) {
      await this.#call(() => this.#ensureDeal(contact.id, record));
    }
    return { crmId: contact.id, created: contact.created };
  }

  async #upsertContact(record: CrmLeadRecord): Promise<{ id: string; created: boolean }> {
    const idProperty = this.#settings.HUBSPOT_ID_PROPERTY;
    const properties = this.#contactProperties(record);
    if (idProperty !== 'email') {
      return this.#batchUpsert(idProperty, record.externalId, properties, {
        [idProperty]: record.externalId,
      });
    }
    if (record.email) return this.#batchUpsert('email', record.email, properties, {});
    if (!record.phone) throw new PermanentError(`${PROVIDER}: the lead has neither email nor phone`);
    const found = Found.parse(
      await this.#client.crm.contacts.searchApi.doSearch({
        filterGroups: [
          { filters: [{ propertyName: 'phone', operator: FilterOperatorEnum.Eq, value: record.phone }] },
        ],
        properties: ['phone'],
        limit: 1,
      }),
    ).results[0];
    if (found) {
      await this.#client.crm.contacts.basicApi.update(found.id, { properties });
      return { id: found.id, created: false };
    }
    const created = Created.parse(
      await this.#client.crm.contacts.basicApi.create({ properties, associations: [] }),
    );
    return { id: created.id, created: true };
  }

  /**
   * `POST /crm/v3/objects/contacts/batch/upsert`, one input. When a contact new to the id property
   * has an email another contact holds, HubSpot answers 409 "Contact already exists. Existing ID:
   * <id>": that contact is the lead, so it is updated, and given the id property for next time.
   */
  async #batchUpsert(
    idProperty: string,
    id: string,
    properties: Record<string, string>,
    onConflict: Record<string, string>,
  ): Promise<{ id: string; created: boolean }> {
    let answer: unknown;
    try {
      answer = await this.#client.crm.contacts.batchApi.upsert({ inputs: [{ id, idProperty, properties }] });
    } catch (error) {
      const existing = conflictId(error);
      if (existing === undefined) throw error;
      await this.#client.crm.contacts.basicApi.update(existing, {
        properties: { ...properties, ...onConflict },
      });
      return { id: existing, created: false };
    }
    const parsed = UpsertResults.parse(answer);
    const result = parsed.results[0];
    if (result) return { id: result.id, created: result._new ?? false };
    const error = parsed.errors?.[0];
    const existing = EXISTING_ID.exec(error?.message ?? '')?.[1];
    if (existing) {
      await this.#client.crm.contacts.basicApi.update(existing, {
        properties: { ...properties, ...onConflict },
      });
      return { id: existing, created: false };
    }
    throw new PermanentError(
      `${PROVIDER}: upsert failed: ${error?.category ?? ''} ${redact(error?.message ?? '')}`,
    );
  }

  #contactProperties(record: CrmLeadRecord): Record<string, string> {
    const settings = this.#settings;
    const { first, last } = splitName(record.name);
    const status = LEAD_STATUS[record.status];
    return {
      ...(first && { firstname: first }),
      ...(last && { lastname: last }),
      ...(record.email && { email: record.email }),
      ...(record.phone && { phone: record.phone }),
      ...(status && { hs_lead_status: status }),
      lifecyclestage: 'lead',
      ...(record.score !== undefined && { [settings.HUBSPOT_SCORE_PROPERTY]: String(record.score) }),
      ...(record.grade && { [settings.HUBSPOT_GRADE_PROPERTY]: record.grade }),
      message: leadFacts(record),
    };
  }

  /** One note per message, timestamped when the message was, created only if the contact lacks it. */
  async #logNotes(contactId: string, entries: ConversationEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const notes = this.#client.crm.objects.notes;
    const readNotes = async () =>
      (
        await this.#associated(contactId, 'note', (ids) =>
          notes.batchApi.read({
            inputs: ids.map((id) => ({ id })),
            properties: ['hs_note_body'],
            propertiesWithHistory: [],
          }),
        )
      ).flatMap(({ id, properties }) => {
        const key = NOTE_REF.exec(properties.hs_note_body ?? '')?.[1];
        return key ? [{ id, key }] : [];
      });
    const logged = new Set((await readNotes()).map((n) => n.key));
    const missing = entries.filter((entry) => !logged.has(entry.key));
    if (missing.length === 0) return;
    for (const chunk of chunks(missing, 100)) {
      await notes.batchApi.create({
        inputs: chunk.map((entry) => ({
          properties: { hs_timestamp: entry.at || new Date().toISOString(), hs_note_body: noteBody(entry) },
          associations: [
            {
              to: { id: contactId },
              types: [
                {
                  associationCategory: NoteAssociationCategory.HubspotDefined,
                  associationTypeId: AssociationTypes.noteToContact,
                },
              ],
            },
          ],
        })),
      });
    }
    const copies = duplicates(await readNotes());
    if (copies.length > 0) await notes.batchApi.archive({ inputs: copies.map((id) => ({ id })) });
  }

  /** One deal per lead: the deal carries the lead's ref; a contact that has it gets no other. */
  async #ensureDeal(contactId: string, record: CrmLeadRecord): Promise<void> {
    const deals = this.#client.crm.deals;
    const ref = dealRef(record.externalId);
    const ours = async () =>
      (
        await this.#associated(contactId, 'deal', (ids) =>
          deals.batchApi.read({
            inputs: ids.map((id) => ({ id })),
            properties: ['description'],
            propertiesWithHistory: [],
          }),
        )
      ).filter(({ properties }) => properties.description?.includes(ref));
    if ((await ours()).length > 0) return;
    await deals.basicApi.create({
      properties: {
        dealname: `${record.name ?? record.phone ?? record.email ?? record.externalId} (Leadline)`.slice(
          0,
          255,
        ),
        pipeline: this.#settings.HUBSPOT_DEAL_PIPELINE,
        dealstage: this.#settings.HUBSPOT_DEAL_STAGE,
        description: `${leadFacts(record)}\n${ref}`,
      },
      associations: [
        {
          to: { id: contactId },
          types: [
            {
              associationCategory: DealAssociationCategory.HubspotDefined,
              associationTypeId: AssociationTypes.dealToContact,
            },
          ],
        },
      ],
    });
    const copies = duplicates((await ours()).map(({ id }) => ({ id, key: ref })));
    if (copies.length > 0) await deals.batchApi.archive({ inputs: copies.map((id) => ({ id })) });
  }

  /** The contact's associated notes or deals, read in batches of 100, through the v4 associations API. */
  async #associated(
    contactId: string,
    type: 'note' | 'deal',
    read: (ids: string[]) => Promise<unknown>,
  ): Promise<Array<{ id: string; properties: Record<string, string | null> }>> {
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = AssociationPage.parse(
        await this.#client.crm.associations.v4.basicApi.getPage('contact', contactId, type, after, 500),
      );
      ids.push(...page.results.map((r) => r.toObjectId));
      after = page.paging?.next?.after;
    } while (after);
    const objects = [];
    for (const chunk of chunks(ids, 100)) objects.push(...ReadObjects.parse(await read(chunk)).results);
    return objects;
  }

  async #call<T>(call: () => Promise<T>): Promise<T> {
    return callProvider(async () => {
      try {
        return await call();
      } catch (error) {
        throw toHubSpotError(error);
      }
    }, this.#budget);
  }
}

const conflictId = (error: unknown): string | undefined => {
  const failure = ApiFailure.safeParse(error);
  if (!failure.success || failure.data.code !== 409) return undefined;
  const body = ErrorBody.safeParse(failure.data.body);
  return EXISTING_ID.exec(body.success ? (body.data.message ?? '') : '')?.[1];
};

/** HubSpot's answer as our two failure kinds; a 429 without Retry-After waits out the rate-limit window. */
export const toHubSpotError = (error: unknown): Error => {
  if (error instanceof PermanentError || error instanceof TransientError) return error;
  if (error instanceof z.ZodError)
    return new PermanentError(`${PROVIDER}: unexpected answer`, { cause: error });
  const failure = ApiFailure.safeParse(error);
  if (!failure.success) {
    return new TransientError(
      `${PROVIDER}: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const { code, headers = {}, body } = failure.data;
  const parsed = ErrorBody.safeParse(body);
  const details = parsed.success ? parsed.data : {};
  // https://developers.hubspot.com/docs/api/usage-details#rate-limits
  const windowMs = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
  const windowRetry =
    headers['x-hubspot-ratelimit-remaining'] === '0' && Number.isFinite(windowMs)
      ? String(windowMs / 1000)
      : undefined;
  return providerError({
    provider: PROVIDER,
    status: code,
    retryAfter: headers['retry-after'] ?? windowRetry,
    message: [
      details.category,
      details.message && redact(details.message),
      details.correlationId && `(${details.correlationId})`,
    ]
      .filter(Boolean)
      .join(' '),
    cause: error,
  });
};

const noteBody = (entry: ConversationEntry): string =>
  `<p><strong>${entryTitle(entry)}</strong></p><p>${escapeHtml(entry.body).replace(/\r?\n/g, '<br>')}</p><p>Leadline ref ${entry.key}</p>`;

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The ids to archive so each key keeps one object: the one with the lowest id, whoever created it. */
const duplicates = (items: Array<{ id: string; key: string }>): string[] => {
  const keep = new Map<string, string>();
  for (const { id, key } of items) {
    const kept = keep.get(key);
    if (kept === undefined || id.length < kept.length || (id.length === kept.length && id < kept))
      keep.set(key, id);
  }
  return items.filter(({ id, key }) => keep.get(key) !== id).map(({ id }) => id);
};

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
