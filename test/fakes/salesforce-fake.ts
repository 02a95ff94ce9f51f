import * as z from 'zod';
import { type FakeRequest, type FakeResponse, HttpFake } from './http-fake.ts';

/** Salesforce's error answer: a JSON array of `{message, errorCode, fields}`. */
export const salesforceError = (
  status: number,
  errorCode: string,
  message: string,
  fields: string[] = [],
) => ({
  status,
  body: [{ message, errorCode, fields }],
});

export interface SalesforceRecord {
  Id: string;
  fields: Record<string, unknown>;
}

const FormBody = z.record(z.string(), z.string());
const Fields = z.record(z.string(), z.unknown());
const CompositeBody = z.object({
  allOrNone: z.boolean().optional(),
  records: z.array(z.object({ attributes: z.object({ type: z.string() }) }).catchall(z.unknown())),
});

/** The fake's route patterns, for `http.enqueue` and `http.route` in tests. */
export const salesforceRoutes = {
  token: '/services/oauth2/token',
  upsertOne: /^\/services\/data\/v[\d.]+\/sobjects\/\w+\/\w+\/[^/]+$/,
  upsertMany: /^\/services\/data\/v[\d.]+\/composite\/sobjects\/\w+\/\w+$/,
} as const;

const ID_PREFIX: Record<string, string> = { Lead: '00Q', Contact: '003', Task: '00T' };

/**
 * The parts of the Salesforce REST API that `SalesforceCrm` uses, with state: the OAuth token
 * endpoint (refresh token grant), upsert by external id (`PATCH /sobjects/{object}/{field}/{value}`),
 * read by external id, and the composite upsert of a collection. Records are kept per object and
 * external id, so a second upsert finds the first. Data calls need the current access token:
 * `expireAccessToken()` makes the next call answer 401 INVALID_SESSION_ID, as Salesforce does.
 */
export class SalesforceFake {
  readonly clientId = 'fake-client-id';
  readonly clientSecret = 'fake-client-secret';
  readonly refreshToken = 'fake-refresh-token';
  readonly records = new Map<string, Map<string, SalesforceRecord>>();
  /** Before API 46.0 an upsert that updates answers 204 with no body. */
  updateAnswersNoContent = false;
  #accessToken = 'access-1';
  #tokens = 1;
  #ids = 0;

  private constructor(readonly http: HttpFake) {}

  static async start(): Promise<SalesforceFake> {
    const fake = new SalesforceFake(await HttpFake.start());
    fake.#routes();
    return fake;
  }

  get url(): string {
    return this.http.url;
  }

  get accessToken(): string {
    return this.#accessToken;
  }

  /** The access token in use stops working; the refresh token still gets a new one. */
  expireAccessToken(): void {
    this.#accessToken = `expired-${this.#tokens}`;
  }

  /** The refresh token stops working, as when a user revokes the connected app. */
  revokeRefreshToken(): void {
    this.http.route('POST', salesforceRoutes.token, {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    });
  }

  recordsOf(object: string): SalesforceRecord[] {
    return [...(this.records.get(object)?.values() ?? [])];
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  #routes(): void {
    this.http
      .route('POST', salesforceRoutes.token, (request) => this.#token(request))
      .route('PATCH', salesforceRoutes.upsertOne, (request) =>
        this.#authorised(request, () => this.#upsertOne(request)),
      )
      .route('GET', salesforceRoutes.upsertOne, (request) =>
        this.#authorised(request, () => this.#readByExternalId(request)),
      )
      .route('PATCH', salesforceRoutes.upsertMany, (request) =>
        this.#authorised(request, () => this.#upsertMany(request)),
      );
  }

  #token(request: FakeRequest): FakeResponse {
    const form = FormBody.parse(request.body);
    if (
      form.grant_type !== 'refresh_token' ||
      form.refresh_token !== this.refreshToken ||
      form.client_id !== this.clientId ||
      form.client_secret !== this.clientSecret
    ) {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } };
    }
    this.#tokens += 1;
    this.#accessToken = `access-${this.#tokens}`;
    return {
      status: 200,
      body: {
        access_token: this.#accessToken,
        instance_url: this.url,
        id: `${this.url}/id/00Dfake000000001/005fake000000001`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: 'fake',
      },
    };
  }

  #authorised(request: FakeRequest, answer: () => FakeResponse): FakeResponse {
    if (request.headers.authorization !== `Bearer ${this.#accessToken}`) {
      return salesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    return answer();
  }

  #upsertOne(request: FakeRequest): FakeResponse {
    const [object = '', field = '', value = ''] = request.path.split('/').slice(-3);
    const fields = Fields.parse(request.body);
    if (field in fields) {
      return salesforceError(400, 'INVALID_FIELD', `The external ID field ${field} can't be in the body`, [
        field,
      ]);
    }
    const result = this.#upsert(object, field, decodeURIComponent(value), fields);
    if ('errorCode' in result) return { status: 400, body: [result] };
    if (result.created)
      return { status: 201, body: { id: result.id, success: true, errors: [], created: true } };
    if (this.updateAnswersNoContent) return { status: 204 };
    return { status: 200, body: { id: result.id, success: true, errors: [], created: false } };
  }

  #upsertMany(request: FakeRequest): FakeResponse {
    const [object = '', field = ''] = request.path.split('/').slice(-2);
    const body = CompositeBody.parse(request.body);
    if (body.records.length > 200) return salesforceError(400, 'EXCEEDED_ID_LIMIT', 'record limit exceeded');
    const results = body.records.map(({ attributes, [field]: value, ...fields }) => {
      const result = this.#upsert(attributes.type || object, field, String(value), fields);
      return 'errorCode' in result
        ? { success: false, errors: [result] }
        : { id: result.id, success: true, errors: [], created: result.created };
    });
    return { status: 200, body: results };
  }

  #readByExternalId(request: FakeRequest): FakeResponse {
    const [object = '', , value = ''] = request.path.split('/').slice(-3);
    const found = this.records.get(object)?.get(decodeURIComponent(value));
    if (!found) return salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return { status: 200, body: { attributes: { type: object }, Id: found.Id } };
  }

  #upsert(
    object: string,
    field: string,
    value: string,
    fields: Record<string, unknown>,
  ): { id: string; created: boolean } | { errorCode: string; message: string; fields: string[] } {
    const table = this.records.get(object) ?? new Map<string, SalesforceRecord>();
    this.records.set(object, table);
    const existing = table.get(value);
    if (existing) {
      existing.fields = { ...existing.fields, ...fields };
      return { id: existing.Id, created: false };
    }
    const required = object === 'Lead' ? ['LastName', 'Company'] : object === 'Contact' ? ['LastName'] : [];
    const missing = required.filter((name) => !fields[name]);
    if (missing.length > 0) {
      return {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: `Required fields are missing: [${missing}]`,
        fields: missing,
      };
    }
    this.#ids += 1;
    const id = `${ID_PREFIX[object] ?? '001'}fake${String(this.#ids).padStart(11, '0')}`;
    table.set(value, { Id: id, fields: { ...fields, [field]: value } });
    return { id, created: true };
  }
}
