import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SalesforceCrm } from '#shared/adapters/salesforce/salesforce-crm.ts';
import { readSalesforceSettings } from '#shared/adapters/salesforce/settings.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import { SalesforceFake, salesforceError, salesforceRoutes } from '../fakes/salesforce-fake.ts';
import { crmLeadRecord } from '../support/crm-record.ts';

const fast = { retries: 2, maxDelayMs: 50, minDelayMs: 1 };
const LEAD_PATH = /^\/services\/data\/v62\.0\/sobjects\/Lead\/Leadline_Id__c\/[^/]+$/;
const TASKS_PATH = '/services/data/v62.0/composite/sobjects/Task/Leadline_Message_Id__c';

describe('SalesforceCrm (jsforce against a Salesforce fake)', () => {
  let salesforce: SalesforceFake;

  const crmWith = (env: Record<string, string> = {}) =>
    new SalesforceCrm(
      readSalesforceSettings({
        SALESFORCE_CLIENT_ID: salesforce.clientId,
        SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
        SALESFORCE_REFRESH_TOKEN: salesforce.refreshToken,
        SALESFORCE_INSTANCE_URL: salesforce.url,
        SALESFORCE_LOGIN_URL: salesforce.url,
        ...env,
      }),
      fast,
    );

  beforeEach(async () => {
    salesforce = await SalesforceFake.start();
  });
  afterEach(async () => {
    await salesforce.close();
  });

  it('upserts the lead by its external id: created first, updated after, one record', async () => {
    const crm = crmWith();
    const first = await crm.upsertLead(crmLeadRecord());
    const second = await crm.upsertLead(crmLeadRecord({ status: 'booked' }));

    expect(first.created).toBe(true);
    // The link the console's timeline offers: the record in Lightning, on the org's instance.
    const recordUrl = `${salesforce.url}/lightning/r/Lead/${first.crmId}/view`;
    expect(second).toEqual({ crmId: first.crmId, created: false, recordUrl });
    expect(salesforce.recordsOf('Lead')).toHaveLength(1);
    const upserts = salesforce.http.requestsTo('PATCH', LEAD_PATH);
    const last = upserts.at(-1);
    expect(last?.path).toBe('/services/data/v62.0/sobjects/Lead/Leadline_Id__c/ld_0123456789abcdef0123');
    expect(last?.headers.authorization).toBe(`Bearer ${salesforce.accessToken}`);
    expect(last?.headers['content-type']).toContain('application/json');
    expect(last?.body).toEqual({
      FirstName: 'Priya',
      LastName: 'Shah',
      Phone: '+15125550411',
      Company: '[not provided]',
      LeadSource: 'Leadline',
      Status: 'Working - Contacted',
      Rating: 'Hot',
      Description: expect.stringContaining('Need: Replace a leaking water heater'),
    });
  });

  it('gets its first access token with the refresh token after the 401 of a call without one', async () => {
    await crmWith().upsertLead(crmLeadRecord());

    const [unauthorised, ...rest] = salesforce.http.requestsTo('PATCH', LEAD_PATH);
    expect(unauthorised?.headers.authorization).toBeUndefined();
    expect(rest).toHaveLength(1);
    const tokenCalls = salesforce.http.requestsTo('POST', '/services/oauth2/token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(tokenCalls[0]?.body).toEqual({
      grant_type: 'refresh_token',
      refresh_token: salesforce.refreshToken,
      client_id: salesforce.clientId,
      client_secret: salesforce.clientSecret,
    });
  });

  it('refreshes an expired access token (401 INVALID_SESSION_ID) and replays the call', async () => {
    const crm = crmWith();
    await crm.upsertLead(crmLeadRecord());
    salesforce.expireAccessToken();
    salesforce.http.reset();

    const result = await crm.upsertLead(crmLeadRecord());

    expect(result.created).toBe(false);
    const calls = salesforce.http.requests.map((r) => `${r.method} ${r.path.replace(/\/ld_\w+$/, '/:id')}`);
    expect(calls).toEqual([
      'PATCH /services/data/v62.0/sobjects/Lead/Leadline_Id__c/:id',
      'POST /services/oauth2/token',
      'PATCH /services/data/v62.0/sobjects/Lead/Leadline_Id__c/:id',
      `PATCH ${TASKS_PATH}`,
    ]);
    expect(salesforce.http.requests.at(-1)?.headers.authorization).toBe(`Bearer ${salesforce.accessToken}`);
  });

  it('fails for good when the refresh token is revoked (invalid_grant), without looping', async () => {
    salesforce.revokeRefreshToken();

    const error = await crmWith()
      .upsertLead(crmLeadRecord())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect(String(error)).toContain('invalid_grant');
    expect(salesforce.http.requestsTo('POST', '/services/oauth2/token')).toHaveLength(1);
  });

  it('logs each message as a completed Task on the record, keyed so a retried sync adds none', async () => {
    const crm = crmWith();
    const { crmId } = await crm.upsertLead(crmLeadRecord());
    await crm.upsertLead(crmLeadRecord());
    const longer = crmLeadRecord();
    longer.conversationLog.push('2026-03-02T15:06:00.000Z lead (sms): Thursday morning works');
    await crm.upsertLead(longer);

    const tasks = salesforce.recordsOf('Task');
    expect(tasks).toHaveLength(3);
    const call = salesforce.http.requestsTo('PATCH', TASKS_PATH)[0];
    expect(call?.headers.authorization).toMatch(/^Bearer access-/);
    expect(call?.body).toEqual({
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Task' },
          Leadline_Message_Id__c: expect.stringMatching(/^ld_0123456789abcdef0123-[0-9a-f]{24}$/),
          WhoId: crmId,
          Subject: 'Leadline: SMS from lead',
          Description: 'hi our water heater is leaking, can someone come this week?',
          Status: 'Completed',
          Priority: 'Normal',
          ActivityDate: '2026-03-02',
        },
        expect.objectContaining({ Subject: 'Leadline: SMS to lead', WhoId: crmId }),
      ],
    });
  });

  it('upserts a Contact when configured, without the Lead-only fields', async () => {
    const crm = crmWith({ SALESFORCE_OBJECT: 'Contact', SALESFORCE_SCORE_FIELD: 'Leadline_Score__c' });
    const result = await crm.upsertLead(crmLeadRecord({ name: undefined, email: 'priya@example.com' }));

    expect(result.created).toBe(true);
    const body = salesforce.http.requestsTo('PATCH', /\/sobjects\/Contact\/Leadline_Id__c\//).at(-1)?.body;
    expect(body).toMatchObject({
      LastName: 'Lead +15125550411',
      Email: 'priya@example.com',
      Leadline_Score__c: 82,
    });
    expect(body).not.toHaveProperty('Company');
    expect(body).not.toHaveProperty('Status');
    expect(body).not.toHaveProperty('Rating');
  });

  it('marks an opted-out texter Do Not Call', async () => {
    await crmWith().upsertLead(crmLeadRecord({ optedOut: true, status: 'opted_out' }));

    expect(salesforce.recordsOf('Lead')[0]?.fields).toMatchObject({
      DoNotCall: true,
      Status: 'Closed - Not Converted',
    });
  });

  it('reads the id by external id when an update answers 204 (API versions before 46.0)', async () => {
    const crm = crmWith();
    const { crmId } = await crm.upsertLead(crmLeadRecord());
    salesforce.updateAnswersNoContent = true;

    const again = await crm.upsertLead(crmLeadRecord());

    expect(again).toMatchObject({ crmId, created: false });
    expect(salesforce.http.requestsTo('GET', LEAD_PATH).at(-1)?.url).toContain('?fields=Id');
  });

  it.each([
    ['INVALID_FIELD', 400, "No such column 'Leadline_Id__c' on sobject of type Lead"],
    ['REQUIRED_FIELD_MISSING', 400, 'Required fields are missing: [Company]'],
    ['DUPLICATE_VALUE', 400, 'duplicate value found: Email__c duplicates value on record with id: 00Q1'],
    ['NOT_FOUND', 404, 'The requested resource does not exist'],
    ['INSUFFICIENT_ACCESS', 403, 'insufficient access rights on object id'],
  ])('treats %s (%i) as permanent and does not retry it', async (code, status, message) => {
    const crm = crmWith();
    await crm.upsertLead(crmLeadRecord());
    salesforce.http.reset();
    salesforce.http.enqueue('PATCH', salesforceRoutes.upsertOne, salesforceError(status, code, message));

    const error = await crm.upsertLead(crmLeadRecord()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect(String(error)).toContain(code);
    expect(salesforce.http.requestsTo('PATCH', LEAD_PATH)).toHaveLength(1);
  });

  it.each([
    ['REQUEST_LIMIT_EXCEEDED', 403, 'TotalRequests Limit exceeded.'],
    ['SERVER_UNAVAILABLE', 503, 'Server is unavailable'],
    ['UNABLE_TO_LOCK_ROW', 400, 'unable to obtain exclusive access to this record'],
    [
      'DUPLICATE_VALUE',
      400,
      'duplicate value found: Leadline_Id__c duplicates value on record with id: 00Q1',
    ],
  ])('retries %s (%i) and succeeds when it passes', async (code, status, message) => {
    const crm = crmWith();
    await crm.upsertLead(crmLeadRecord());
    salesforce.http.reset();
    salesforce.http.enqueue('PATCH', salesforceRoutes.upsertOne, salesforceError(status, code, message));

    const result = await crm.upsertLead(crmLeadRecord());

    expect(result.created).toBe(false);
    expect(salesforce.http.requestsTo('PATCH', LEAD_PATH)).toHaveLength(2);
  });

  it('gives a persisting 5xx back as transient after the retry budget, for SQS to retry', async () => {
    const crm = crmWith();
    await crm.upsertLead(crmLeadRecord());
    salesforce.http.reset();
    salesforce.http.route('PATCH', salesforceRoutes.upsertOne, {
      status: 502,
      body: '<html>Bad gateway</html>',
    });

    const error = await crm.upsertLead(crmLeadRecord()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect(String(error)).toContain('502');
    expect(salesforce.http.requestsTo('PATCH', LEAD_PATH)).toHaveLength(3);
  });

  it('treats a 429 as transient', async () => {
    const crm = crmWith();
    await crm.upsertLead(crmLeadRecord());
    salesforce.http.route('PATCH', salesforceRoutes.upsertOne, {
      status: 429,
      headers: { 'retry-after': '1' },
      body: '',
    });

    await expect(crm.upsertLead(crmLeadRecord())).rejects.toBeInstanceOf(TransientError);
  });

  it('fails the sync when a Task is refused, so the retry logs it', async () => {
    const crm = crmWith();
    salesforce.http.enqueue('PATCH', salesforceRoutes.upsertMany, {
      status: 200,
      body: [
        {
          success: false,
          errors: [{ errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' }],
        },
        { id: '00Tfake1', success: true, errors: [], created: true },
      ],
    });

    const result = await crm.upsertLead(crmLeadRecord());

    expect(result.crmId).toMatch(/^00Q/);
    expect(salesforce.http.requestsTo('PATCH', TASKS_PATH)).toHaveLength(2);
    expect(salesforce.recordsOf('Task')).toHaveLength(2);
  });

  it('gives a connection refused back as transient', async () => {
    const crm = crmWith();
    await salesforce.close();

    await expect(crm.upsertLead(crmLeadRecord())).rejects.toBeInstanceOf(TransientError);
    salesforce = await SalesforceFake.start();
  });
});
