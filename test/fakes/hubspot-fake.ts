import * as z from 'zod';
import { type FakeRequest, type FakeResponse, HttpFake } from './http-fake.ts';

/** HubSpot's error answer. */
export const hubspotError = (
  status: number,
  category: string,
  message: string,
  headers?: Record<string, string>,
) => ({
  status,
  ...(headers && { headers }),
  body: { status: 'error', message, category, correlationId: '6b3b2b1e-0000-4000-8000-000000000000' },
});

export interface HubSpotObject {
  id: string;
  properties: Record<string, string>;
  /** Associated contact ids (notes and deals). */
  contacts: string[];
}

/** The fake's route patterns, for `http.enqueue` and `http.route` in tests. */
export const hubspotRoutes = {
  contactsUpsert: '/crm/v3/objects/contacts/batch/upsert',
  contactsSearch: '/crm/v3/objects/contacts/search',
  contactsCreate: '/crm/v3/objects/contacts',
  contact: /^\/crm\/v3\/objects\/contacts\/\d+$/,
  associations: /^\/crm\/v4\/objects\/contact\/\d+\/associations\/(note|deal)$/,
  notesCreate: '/crm/v3/objects/notes/batch/create',
  notesRead: '/crm/v3/objects/notes/batch/read',
  notesArchive: '/crm/v3/objects/notes/batch/archive',
  dealsCreate: '/crm/v3/objects/deals',
  dealsRead: '/crm/v3/objects/deals/batch/read',
  dealsArchive: '/crm/v3/objects/deals/batch/archive',
} as const;

const Properties = z.record(z.string(), z.string());
const UpsertBody = z.object({
  inputs: z.array(z.object({ id: z.string(), idProperty: z.string(), properties: Properties })),
});
const SearchBody = z.object({
  filterGroups: z.array(
    z.object({
      filters: z.array(z.object({ propertyName: z.string(), operator: z.string(), value: z.string() })),
    }),
  ),
});
const Association = z.object({
  to: z.object({ id: z.string() }),
  types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number() })),
});
const CreateBody = z.object({ properties: Properties, associations: z.array(Association).optional() });
const BatchCreateBody = z.object({ inputs: z.array(CreateBody) });
const IdsBody = z.object({
  inputs: z.array(z.object({ id: z.string() })),
  properties: z.array(z.string()).optional(),
});

/**
 * The parts of HubSpot's CRM API that `HubSpotCrm` uses, with state: contacts (batch upsert by a
 * unique property, search, create, update), notes and deals (create with associations, batch read,
 * batch archive) and the v4 associations of a contact. Email and any `leadline_*id*` property are
 * unique, as in a portal; phone is not. Every call needs the private app token.
 */
export class HubSpotFake {
  readonly accessToken = 'pat-na1-fake';
  readonly contacts = new Map<string, HubSpotObject>();
  readonly notes = new Map<string, HubSpotObject>();
  readonly deals = new Map<string, HubSpotObject>();
  #ids = 100;

  private constructor(readonly http: HttpFake) {}

  static async start(): Promise<HubSpotFake> {
    const fake = new HubSpotFake(await HttpFake.start());
    fake.#routes();
    return fake;
  }

  get url(): string {
    return this.http.url;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** A contact made by someone else (a form, a rep). */
  addContact(properties: Record<string, string>): string {
    const id = this.#nextId();
    this.contacts.set(id, { id, properties, contacts: [] });
    return id;
  }

  notesOf(contactId: string): HubSpotObject[] {
    return [...this.notes.values()].filter((n) => n.contacts.includes(contactId));
  }

  dealsOf(contactId: string): HubSpotObject[] {
    return [...this.deals.values()].filter((d) => d.contacts.includes(contactId));
  }

  #nextId(): string {
    this.#ids += 1;
    return String(this.#ids);
  }

  #routes(): void {
    const authorised =
      (answer: (request: FakeRequest) => FakeResponse) =>
      (request: FakeRequest): FakeResponse =>
        request.headers.authorization === `Bearer ${this.accessToken}`
          ? answer(request)
          : hubspotError(
              401,
              'INVALID_AUTHENTICATION',
              'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
            );
    this.http
      .route(
        'POST',
        hubspotRoutes.contactsUpsert,
        authorised((r) => this.#upsertContacts(r)),
      )
      .route(
        'POST',
        hubspotRoutes.contactsSearch,
        authorised((r) => this.#searchContacts(r)),
      )
      .route(
        'POST',
        hubspotRoutes.contactsCreate,
        authorised((r) => this.#createContact(r)),
      )
      .route(
        'PATCH',
        hubspotRoutes.contact,
        authorised((r) => this.#updateContact(r)),
      )
      .route(
        'GET',
        hubspotRoutes.associations,
        authorised((r) => this.#associations(r)),
      )
      .route(
        'POST',
        hubspotRoutes.notesCreate,
        authorised((r) => this.#batchCreate(this.notes, r)),
      )
      .route(
        'POST',
        hubspotRoutes.notesRead,
        authorised((r) => this.#batchRead(this.notes, r)),
      )
      .route(
        'POST',
        hubspotRoutes.notesArchive,
        authorised((r) => this.#batchArchive(this.notes, r)),
      )
      .route(
        'POST',
        hubspotRoutes.dealsCreate,
        authorised((r) => this.#createOne(this.deals, r)),
      )
      .route(
        'POST',
        hubspotRoutes.dealsRead,
        authorised((r) => this.#batchRead(this.deals, r)),
      )
      .route(
        'POST',
        hubspotRoutes.dealsArchive,
        authorised((r) => this.#batchArchive(this.deals, r)),
      );
  }

  #unique(property: string): boolean {
    return property === 'email' || /^leadline_\w*id\w*$/.test(property);
  }

  #findBy(property: string, value: string): HubSpotObject | undefined {
    return [...this.contacts.values()].find((c) => c.properties[property] === value);
  }

  /** Another contact holding one of these unique values. */
  #conflict(properties: Record<string, string>, self?: string): FakeResponse | undefined {
    for (const [property, value] of Object.entries(properties)) {
      if (!this.#unique(property)) continue;
      const other = this.#findBy(property, value);
      if (other && other.id !== self) {
        return hubspotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${other.id}`);
      }
    }
    return undefined;
  }

  #upsertContacts(request: FakeRequest): FakeResponse {
    const { inputs } = UpsertBody.parse(request.body);
    const now = new Date().toISOString();
    const results = [];
    for (const { id, idProperty, properties } of inputs) {
      if (!this.#unique(idProperty)) {
        return hubspotError(400, 'VALIDATION_ERROR', `${idProperty} is not a unique identifier property`);
      }
      const existing = this.#findBy(idProperty, id);
      const conflict = this.#conflict(properties, existing?.id);
      if (conflict) return conflict;
      const contact = existing ?? { id: this.#nextId(), properties: {}, contacts: [] };
      contact.properties = { ...contact.properties, ...properties, [idProperty]: id };
      this.contacts.set(contact.id, contact);
      results.push({
        id: contact.id,
        properties: contact.properties,
        createdAt: now,
        updatedAt: now,
        archived: false,
        new: !existing,
      });
    }
    return { status: 200, body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
  }

  #searchContacts(request: FakeRequest): FakeResponse {
    const { filterGroups } = SearchBody.parse(request.body);
    const results = [...this.contacts.values()].filter((c) =>
      filterGroups.some((g) =>
        g.filters.every((f) => f.operator === 'EQ' && c.properties[f.propertyName] === f.value),
      ),
    );
    return {
      status: 200,
      body: { total: results.length, results: results.map((c) => ({ id: c.id, properties: c.properties })) },
    };
  }

  #createContact(request: FakeRequest): FakeResponse {
    const { properties } = CreateBody.parse(request.body);
    const conflict = this.#conflict(properties);
    if (conflict) return conflict;
    const id = this.#nextId();
    this.contacts.set(id, { id, properties, contacts: [] });
    return { status: 201, body: { id, properties, archived: false } };
  }

  #updateContact(request: FakeRequest): FakeResponse {
    const id = request.path.split('/').at(-1) ?? '';
    const contact = this.contacts.get(id);
    if (!contact) return hubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found');
    const { properties } = CreateBody.parse(request.body);
    const conflict = this.#conflict(properties, id);
    if (conflict) return conflict;
    contact.properties = { ...contact.properties, ...properties };
    return { status: 200, body: { id, properties: contact.properties, archived: false } };
  }

  #associations(request: FakeRequest): FakeResponse {
    const [, , , , , contactId = '', , type] = request.path.split('/');
    const store = type === 'note' ? this.notes : this.deals;
    const typeId = type === 'note' ? 202 : 3;
    const results = [...store.values()]
      .filter((o) => o.contacts.includes(contactId))
      .map((o) => ({
        toObjectId: Number(o.id),
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId, label: null }],
      }));
    return { status: 200, body: { results } };
  }

  #store(store: Map<string, HubSpotObject>, input: z.infer<typeof CreateBody>): HubSpotObject {
    const id = this.#nextId();
    const object = {
      id,
      properties: input.properties,
      contacts: (input.associations ?? []).map((a) => a.to.id),
    };
    store.set(id, object);
    return object;
  }

  #createOne(store: Map<string, HubSpotObject>, request: FakeRequest): FakeResponse {
    const object = this.#store(store, CreateBody.parse(request.body));
    return { status: 201, body: { id: object.id, properties: object.properties, archived: false } };
  }

  #batchCreate(store: Map<string, HubSpotObject>, request: FakeRequest): FakeResponse {
    const now = new Date().toISOString();
    const results = BatchCreateBody.parse(request.body).inputs.map((input) => {
      const object = this.#store(store, input);
      return {
        id: object.id,
        properties: object.properties,
        createdAt: now,
        updatedAt: now,
        archived: false,
      };
    });
    return { status: 201, body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
  }

  #batchRead(store: Map<string, HubSpotObject>, request: FakeRequest): FakeResponse {
    const { inputs, properties = [] } = IdsBody.parse(request.body);
    const now = new Date().toISOString();
    const results = inputs.flatMap(({ id }) => {
      const object = store.get(id);
      if (!object) return [];
      const picked = Object.fromEntries(properties.map((p) => [p, object.properties[p] ?? null]));
      return [
        { id, properties: { ...picked, hs_object_id: id }, createdAt: now, updatedAt: now, archived: false },
      ];
    });
    return { status: 200, body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
  }

  #batchArchive(store: Map<string, HubSpotObject>, request: FakeRequest): FakeResponse {
    for (const { id } of IdsBody.parse(request.body).inputs) store.delete(id);
    return { status: 204 };
  }
}
