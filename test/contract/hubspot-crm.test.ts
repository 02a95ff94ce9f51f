import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubSpotCrm } from '#shared/adapters/hubspot/hubspot-crm.ts';
import { readHubSpotSettings } from '#shared/adapters/hubspot/settings.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import { HubSpotFake, hubspotError, hubspotRoutes } from '../fakes/hubspot-fake.ts';
import { crmLeadRecord } from '../support/crm-record.ts';

const fast = { retries: 2, maxDelayMs: 50, minDelayMs: 1 };

describe('HubSpotCrm (@hubspot/api-client against a HubSpot fake)', () => {
  let hubspot: HubSpotFake;

  const crmWith = (env: Record<string, string> = {}) =>
    new HubSpotCrm(
      readHubSpotSettings({
        HUBSPOT_ACCESS_TOKEN: hubspot.accessToken,
        HUBSPOT_BASE_PATH: hubspot.url,
        ...env,
      }),
      fast,
    );

  beforeEach(async () => {
    hubspot = await HubSpotFake.start();
  });
  afterEach(async () => {
    await hubspot.close();
  });

  it('upserts the contact by the leadline_id property: created first, updated after, one contact', async () => {
    const crm = crmWith();
    const first = await crm.upsertLead(crmLeadRecord({ status: 'new' }));
    const second = await crm.upsertLead(crmLeadRecord({ status: 'booked' }));

    expect(first.created).toBe(true);
    expect(second).toEqual({ crmId: first.crmId, created: false });
    expect(hubspot.contacts.size).toBe(1);
    const upserts = hubspot.http.requestsTo('POST', hubspotRoutes.contactsUpsert);
    expect(upserts).toHaveLength(2);
    expect(upserts[1]?.headers.authorization).toBe(`Bearer ${hubspot.accessToken}`);
    expect(upserts[1]?.headers['content-type']).toContain('application/json');
    expect(upserts[1]?.body).toEqual({
      inputs: [
        {
          id: 'ld_0123456789abcdef0123',
          idProperty: 'leadline_id',
          properties: {
            firstname: 'Priya',
            lastname: 'Shah',
            phone: '+15125550411',
            hs_lead_status: 'IN_PROGRESS',
            lifecyclestage: 'lead',
            leadline_score: '82',
            leadline_grade: 'hot',
            message: expect.stringContaining('Service: Water heater'),
          },
        },
      ],
    });
  });

  it('updates the contact that already holds the email when the upsert answers 409 CONFLICT', async () => {
    const existing = hubspot.addContact({ email: 'priya@example.com', firstname: 'P' });

    const result = await crmWith().upsertLead(
      crmLeadRecord({ email: 'priya@example.com', sourceChannel: 'email' }),
    );

    expect(result).toEqual({ crmId: existing, created: false });
    expect(hubspot.contacts.size).toBe(1);
    expect(hubspot.http.requestsTo('PATCH', hubspotRoutes.contact)[0]?.path).toBe(
      `/crm/v3/objects/contacts/${existing}`,
    );
    expect(hubspot.contacts.get(existing)?.properties).toMatchObject({
      leadline_id: 'ld_0123456789abcdef0123',
      firstname: 'Priya',
      hs_lead_status: 'CONNECTED',
    });
  });

  it('with HUBSPOT_ID_PROPERTY=email upserts an email lead by email', async () => {
    const crm = crmWith({ HUBSPOT_ID_PROPERTY: 'email' });
    const record = crmLeadRecord({ email: 'priya@example.com', phone: undefined, sourceChannel: 'email' });
    const first = await crm.upsertLead(record);
    const second = await crm.upsertLead(record);

    expect([first.created, second.created]).toEqual([true, false]);
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.contactsUpsert)[0]?.body).toMatchObject({
      inputs: [{ id: 'priya@example.com', idProperty: 'email' }],
    });
  });

  it('with HUBSPOT_ID_PROPERTY=email finds a texter by phone, then creates or updates', async () => {
    const crm = crmWith({ HUBSPOT_ID_PROPERTY: 'email' });
    const first = await crm.upsertLead(crmLeadRecord());
    const second = await crm.upsertLead(crmLeadRecord());

    expect(first.created).toBe(true);
    expect(second).toEqual({ crmId: first.crmId, created: false });
    expect(hubspot.contacts.size).toBe(1);
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.contactsSearch)[0]?.body).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: '+15125550411' }] }],
      properties: ['phone'],
      limit: 1,
    });
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.contactsCreate)).toHaveLength(1);
    expect(hubspot.http.requestsTo('PATCH', hubspotRoutes.contact)).toHaveLength(1);
  });

  it('attaches one note per message to the contact, and a retried sync adds none', async () => {
    const crm = crmWith();
    const { crmId } = await crm.upsertLead(crmLeadRecord());
    await crm.upsertLead(crmLeadRecord());
    const longer = crmLeadRecord();
    longer.conversationLog.push('2026-03-02T15:06:00.000Z lead (sms): Thursday <morning> works');
    await crm.upsertLead(longer);

    const notes = hubspot.notesOf(crmId);
    expect(notes).toHaveLength(3);
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.notesCreate)).toHaveLength(2);
    const created = hubspot.http.requestsTo('POST', hubspotRoutes.notesCreate)[0];
    expect(created?.body).toEqual({
      inputs: [
        {
          properties: {
            hs_timestamp: '2026-03-02T15:04:05.000Z',
            hs_note_body: expect.stringMatching(
              /^<p><strong>SMS from lead<\/strong><\/p><p>hi our water heater is leaking.*<\/p><p>Leadline ref ld_0123456789abcdef0123-[0-9a-f]{24}<\/p>$/,
            ),
          },
          associations: [
            {
              to: { id: crmId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
            },
          ],
        },
        expect.objectContaining({
          properties: expect.objectContaining({ hs_timestamp: '2026-03-02T15:04:09.000Z' }),
        }),
      ],
    });
    expect(notes.at(-1)?.properties.hs_note_body).toContain('Thursday &lt;morning&gt; works');
    expect(hubspot.http.requestsTo('GET', hubspotRoutes.associations)[0]?.url).toBe(
      `/crm/v4/objects/contact/${crmId}/associations/note?limit=500`,
    );
  });

  it('archives a copy of a note that a concurrent sync created, keeping the first', async () => {
    const crm = crmWith();
    const { crmId } = await crm.upsertLead(crmLeadRecord());
    const [original] = hubspot.notesOf(crmId);
    // Another sync of the same lead logged the same message meanwhile.
    hubspot.http.enqueue('POST', hubspotRoutes.notesRead, {
      status: 200,
      body: { status: 'COMPLETE', results: [] },
    });
    const longer = crmLeadRecord();
    longer.conversationLog.push('2026-03-02T15:06:00.000Z lead (sms): Thursday morning works');
    await crm.upsertLead(longer);

    const notes = hubspot.notesOf(crmId);
    expect(notes).toHaveLength(3);
    expect(notes.map((n) => n.id)).toContain(original?.id);
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.notesArchive)).toHaveLength(1);
  });

  it('opens one deal for a hot lead when configured, in the configured pipeline and stage', async () => {
    const crm = crmWith({ HUBSPOT_CREATE_DEALS: 'true', HUBSPOT_DEAL_STAGE: 'qualifiedtobuy' });
    const { crmId } = await crm.upsertLead(crmLeadRecord());
    await crm.upsertLead(crmLeadRecord());

    expect(hubspot.dealsOf(crmId)).toHaveLength(1);
    const create = hubspot.http.requestsTo('POST', hubspotRoutes.dealsCreate);
    expect(create).toHaveLength(1);
    expect(create[0]?.body).toEqual({
      properties: {
        dealname: 'Priya Shah (Leadline)',
        pipeline: 'default',
        dealstage: 'qualifiedtobuy',
        description: expect.stringContaining('Leadline ref ld_0123456789abcdef0123'),
      },
      associations: [
        { to: { id: crmId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
      ],
    });
  });

  it('opens no deal for a warm lead, nor when deals are off', async () => {
    const warm = await crmWith({ HUBSPOT_CREATE_DEALS: 'true' }).upsertLead(crmLeadRecord({ grade: 'warm' }));
    const off = await crmWith().upsertLead(crmLeadRecord({ externalId: 'ld_ffffffffffffffffffff' }));

    expect(hubspot.dealsOf(warm.crmId)).toHaveLength(0);
    expect(hubspot.dealsOf(off.crmId)).toHaveLength(0);
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.dealsCreate)).toHaveLength(0);
  });

  it('treats 401 (a revoked token) as permanent, without retrying', async () => {
    const crm = new HubSpotCrm(
      readHubSpotSettings({ HUBSPOT_ACCESS_TOKEN: 'pat-revoked', HUBSPOT_BASE_PATH: hubspot.url }),
      fast,
    );

    const error = await crm.upsertLead(crmLeadRecord()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect(String(error)).toContain('HubSpot 401: INVALID_AUTHENTICATION');
    expect(hubspot.http.requests).toHaveLength(1);
  });

  it.each([
    [400, 'VALIDATION_ERROR', 'Property values were not valid: leadline_score does not exist'],
    [403, 'MISSING_SCOPES', 'This app hasn\u2019t been granted all required scopes'],
    [404, 'OBJECT_NOT_FOUND', 'resource not found'],
  ])('treats %i %s as permanent', async (status, category, message) => {
    hubspot.http.enqueue('POST', hubspotRoutes.contactsUpsert, hubspotError(status, category, message));

    await expect(crmWith().upsertLead(crmLeadRecord())).rejects.toBeInstanceOf(PermanentError);
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.contactsUpsert)).toHaveLength(1);
  });

  it('waits the Retry-After of a 429 and retries', async () => {
    hubspot.http.enqueue(
      'POST',
      hubspotRoutes.contactsUpsert,
      hubspotError(429, 'RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', {
        'retry-after': '0.03',
      }),
    );
    const started = Date.now();

    const result = await crmWith().upsertLead(crmLeadRecord());

    expect(result.created).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.contactsUpsert)).toHaveLength(2);
  });

  it('hands a 429 asking for longer than the budget back to SQS at once, with its wait', async () => {
    hubspot.http.enqueue(
      'POST',
      hubspotRoutes.contactsUpsert,
      hubspotError(429, 'RATE_LIMITS', 'You have reached your daily limit.', {
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
        'x-hubspot-ratelimit-remaining': '0',
      }),
    );

    const error = await crmWith()
      .upsertLead(crmLeadRecord())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).toBe(10_000);
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.contactsUpsert)).toHaveLength(1);
  });

  it('retries a 5xx and gives a persisting one back as transient', async () => {
    hubspot.http.enqueue(
      'POST',
      hubspotRoutes.contactsUpsert,
      hubspotError(502, 'BAD_GATEWAY', 'bad gateway'),
    );
    const passed = await crmWith().upsertLead(crmLeadRecord());
    expect(passed.created).toBe(true);

    hubspot.http.route(
      'POST',
      hubspotRoutes.notesCreate,
      hubspotError(503, 'SERVICE_UNAVAILABLE', 'unavailable'),
    );
    const longer = crmLeadRecord();
    longer.conversationLog.push('2026-03-02T15:06:00.000Z lead (sms): Thursday morning works');
    const error = await crmWith()
      .upsertLead(longer)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect(hubspot.http.requestsTo('POST', hubspotRoutes.notesCreate)).toHaveLength(1 + 3);
  });
});
