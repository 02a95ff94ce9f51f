import { Connection } from 'jsforce';
import * as z from 'zod';
import {
  type ConversationEntry,
  conversationEntries,
  entryTitle,
  leadFacts,
  placeholderName,
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
import type { SalesforceSettings } from './settings.ts';

const PROVIDER = 'Salesforce';

// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm
// The standard Lead Status picklist; an org that renamed its values can map them with a
// validation-free picklist or change these.
const LEAD_STATUS: Record<string, string> = {
  new: 'Open - Not Contacted',
  engaged: 'Working - Contacted',
  booked: 'Working - Contacted',
  spam: 'Closed - Not Converted',
  wrong_number: 'Closed - Not Converted',
  opted_out: 'Closed - Not Converted',
};
const RATING: Record<string, string> = { hot: 'Hot', warm: 'Warm', cold: 'Cold' };

const SaveError = z.object({
  errorCode: z.string(),
  message: z.string(),
  fields: z.array(z.string()).optional(),
});
type SaveError = z.infer<typeof SaveError>;

/** 201 `{id, success, errors, created: true}`; 200 `{…, created: false}` (API 46.0+); 204 before 46.0. */
const UpsertAnswer = z.object({
  id: z.string().optional(),
  success: z.boolean(),
  created: z.boolean().optional(),
  errors: z.array(SaveError).default([]),
});

const RecordById = z.object({ Id: z.string() });

const TokenAnswer = z.object({ access_token: z.string().min(1), instance_url: z.url() });

/** jsforce's `HttpApiError`: Salesforce's `[{message, errorCode, fields}]`, or `ERROR_HTTP_<status>` without a JSON body. */
const ApiFailure = z.object({ errorCode: z.string(), message: z.string(), data: z.unknown().optional() });

/** jsforce's OAuth2 error: `name` is the token endpoint's `error` (invalid_grant…) or `ERROR_HTTP_<status>`. */
const TokenFailure = z.object({ name: z.string(), message: z.string() });

// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
// REQUEST_LIMIT_EXCEEDED comes with 403 (the org's daily or concurrent API limit) yet passes with
// time; the rest are the server's own trouble or a lock held by another transaction.
const TRANSIENT_CODES = new Set([
  'REQUEST_LIMIT_EXCEEDED',
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'UNABLE_TO_LOCK_ROW',
  'QUERY_TIMEOUT',
]);

/**
 * The CRM port on Salesforce through jsforce: the lead is upserted on `SALESFORCE_OBJECT` (Lead or
 * Contact) by our lead id in an External ID field, so a retried sync updates the record it created
 * instead of adding another; each message of the conversation is upserted as a completed Task by
 * its own key, so a retry never logs a message twice.
 *
 * Retries: jsforce retries only GET/PUT/DELETE on 429/5xx, and every call here is a PATCH (or the
 * token POST), so `callProvider` is the one layer that retries, within its short budget.
 */
export class SalesforceCrm implements Crm {
  readonly provider = 'salesforce';
  readonly #connection: Connection;
  readonly #settings: SalesforceSettings;
  readonly #budget: RetryBudget;
  /** Why the last token refresh failed, kept because jsforce rethrows it as a bare message. */
  #refreshFailure: PermanentError | TransientError | undefined;

  constructor(settings: SalesforceSettings, budget: RetryBudget = defaultRetryBudget) {
    this.#settings = settings;
    this.#budget = budget;
    this.#connection = new Connection({
      loginUrl: settings.SALESFORCE_LOGIN_URL,
      instanceUrl: settings.SALESFORCE_INSTANCE_URL,
      version: settings.SALESFORCE_API_VERSION,
      oauth2: {
        clientId: settings.SALESFORCE_CLIENT_ID,
        clientSecret: settings.SALESFORCE_CLIENT_SECRET,
        loginUrl: settings.SALESFORCE_LOGIN_URL,
      },
      // No access token at start: the first call answers 401 INVALID_SESSION_ID and jsforce's
      // session refresh delegate calls this, then replays the call with the new token.
      refreshToken: settings.SALESFORCE_REFRESH_TOKEN,
      refreshFn: (connection, callback) => {
        connection.oauth2.refreshToken(settings.SALESFORCE_REFRESH_TOKEN).then(
          (answer) => {
            const token = TokenAnswer.safeParse(answer);
            if (!token.success) {
              this.#refreshFailure = new TransientError(
                `${PROVIDER}: token endpoint answered without a token`,
              );
              callback(new Error('no access token in the token answer'));
              return;
            }
            this.#refreshFailure = undefined;
            connection.instanceUrl = token.data.instance_url;
            callback(undefined, token.data.access_token, answer);
          },
          (error: unknown) => {
            this.#refreshFailure = tokenError(error);
            callback(error instanceof Error ? error : new Error(String(error)));
          },
        );
      },
    });
  }

  async upsertLead(record: CrmLeadRecord): Promise<{ crmId: string; created: boolean; recordUrl: string }> {
    const saved = await this.#call(() => this.#upsertRecord(record));
    const entries = conversationEntries(record);
    if (this.#settings.SALESFORCE_LOG_TASKS && entries.length > 0) {
      await this.#call(() => this.#upsertTasks(saved.id, entries));
    }
    return { crmId: saved.id, created: saved.created, recordUrl: this.#recordUrl(saved.id) };
  }

  /** The record in Lightning Experience (the org's own domain redirects to its Lightning host). */
  #recordUrl(id: string): string {
    const instance = (this.#connection.instanceUrl || this.#settings.SALESFORCE_INSTANCE_URL).replace(
      /\/$/,
      '',
    );
    return `${instance}/lightning/r/${this.#settings.SALESFORCE_OBJECT}/${encodeURIComponent(id)}/view`;
  }

  async #upsertRecord(record: CrmLeadRecord): Promise<{ id: string; created: boolean }> {
    const object = this.#settings.SALESFORCE_OBJECT;
    const field = this.#settings.SALESFORCE_EXTERNAL_ID_FIELD;
    const answer = UpsertAnswer.parse(
      await this.#connection.sobject(object).upsert(this.#fields(record), field),
    );
    if (!answer.success) throw this.#saveErrors(answer.errors);
    if (answer.id) return { id: answer.id, created: answer.created ?? false };
    // Before API 46.0 an update answers 204 with no body: read the id by the external id.
    const found = await this.#connection.request(
      {
        method: 'GET',
        url: `/sobjects/${object}/${field}/${encodeURIComponent(record.externalId)}?fields=Id`,
      },
      { retry: { maxRetries: 0 } },
    );
    return { id: RecordById.parse(found).Id, created: false };
  }

  /**
   * One Task per message, upserted by the message's key in one composite call (200 records a call):
   * an atomic create-or-update on Salesforce's side, so neither a retried sync nor two syncs of the
   * same lead at once can log a message twice, which reading the Tasks first and inserting the
   * missing ones could not promise.
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm
   */
  async #upsertTasks(whoId: string, entries: ConversationEntry[]): Promise<void> {
    const field = this.#settings.SALESFORCE_TASK_EXTERNAL_ID_FIELD;
    const tasks = entries.map((entry) => ({
      [field]: entry.key,
      WhoId: whoId,
      Subject: `Leadline: ${entryTitle(entry)}`,
      Description: entry.body.slice(0, 32_000),
      Status: 'Completed',
      Priority: 'Normal',
      ...(entry.at && { ActivityDate: entry.at.slice(0, 10) }),
    }));
    const answers = z
      .array(UpsertAnswer)
      .parse(
        await this.#connection
          .sobject('Task')
          .upsert(tasks, field, { allOrNone: false, allowRecursive: true }),
      );
    const errors = answers.flatMap((answer) => (answer.success ? [] : answer.errors));
    if (errors.length > 0) throw this.#saveErrors(errors);
  }

  #fields(record: CrmLeadRecord): Record<string, string | number | boolean> {
    const settings = this.#settings;
    const isLead = settings.SALESFORCE_OBJECT === 'Lead';
    const { first, last } = splitName(record.name);
    const status = LEAD_STATUS[record.status];
    const rating = record.grade === undefined ? undefined : RATING[record.grade];
    return {
      [settings.SALESFORCE_EXTERNAL_ID_FIELD]: record.externalId,
      LastName: (last ?? placeholderName(record)).slice(0, 80),
      ...(first && { FirstName: first.slice(0, 40) }),
      ...(record.email && { Email: record.email }),
      ...(record.phone && { Phone: record.phone }),
      LeadSource: 'Leadline',
      Description: leadFacts(record).slice(0, 32_000),
      ...(isLead && { Company: settings.SALESFORCE_DEFAULT_COMPANY }),
      ...(isLead && status && { Status: status }),
      ...(isLead && rating && { Rating: rating }),
      ...(settings.SALESFORCE_SCORE_FIELD &&
        record.score !== undefined && { [settings.SALESFORCE_SCORE_FIELD]: record.score }),
      // Set, never cleared: an opt-out recorded in Salesforce (by a rep, or another system) is not
      // ours to undo, and the lead opting back in to texts is no consent to calls.
      ...(record.optedOut &&
        (record.sourceChannel === 'sms' ? { DoNotCall: true } : { HasOptedOutOfEmail: true })),
    };
  }

  async #call<T>(call: () => Promise<T>): Promise<T> {
    return callProvider(async () => {
      try {
        return await call();
      } catch (error) {
        throw this.#toError(error);
      }
    }, this.#budget);
  }

  #saveErrors(errors: SaveError[]): PermanentError | TransientError {
    const transient = errors.some((e) => this.#isTransient(e.errorCode, e.message));
    const text = errors.map((e) => `${e.errorCode}: ${redact(e.message)}`).join('; ');
    return transient
      ? new TransientError(`${PROVIDER}: ${text}`)
      : new PermanentError(`${PROVIDER}: ${text}`);
  }

  #isTransient(code: string, message: string): boolean {
    if (TRANSIENT_CODES.has(code)) return true;
    // Two syncs of one new lead at once: the loser of the insert race finds the record on retry.
    return code === 'DUPLICATE_VALUE' && message.includes(this.#settings.SALESFORCE_EXTERNAL_ID_FIELD);
  }

  #toError(error: unknown): Error {
    if (error instanceof PermanentError || error instanceof TransientError) return error;
    if (error instanceof z.ZodError) {
      return new PermanentError(`${PROVIDER}: unexpected answer`, { cause: error });
    }
    if (
      error instanceof Error &&
      error.message.startsWith('Unable to refresh session') &&
      this.#refreshFailure
    ) {
      return this.#refreshFailure;
    }
    const failure = ApiFailure.safeParse(error);
    if (!failure.success) {
      // No answer at all (connection refused, reset, DNS): may pass.
      return new TransientError(
        `${PROVIDER}: ${error instanceof Error ? error.message : String(error)}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    const { errorCode, message, data } = failure.data;
    const status = /^ERROR_HTTP_(\d{3})$/.exec(errorCode)?.[1];
    if (status)
      return providerError({ provider: PROVIDER, status: Number(status), message: errorCode, cause: error });
    if (errorCode === 'MULTIPLE_API_ERRORS') {
      const errors = z.array(SaveError).safeParse(data);
      if (errors.success) return this.#saveErrors(errors.data);
    }
    return this.#saveErrors([{ errorCode, message }]);
  }
}

/** The token endpoint's answer: a revoked or expired refresh token (invalid_grant), a wrong client… */
function tokenError(error: unknown): PermanentError | TransientError {
  const failure = TokenFailure.safeParse(error);
  if (!failure.success)
    return new TransientError(`${PROVIDER}: token refresh failed`, undefined, { cause: error });
  const { name, message } = failure.data;
  const status = /^ERROR_HTTP_(\d{3})$/.exec(name)?.[1];
  if (status)
    return providerError({
      provider: `${PROVIDER} OAuth`,
      status: Number(status),
      message: name,
      cause: error,
    });
  // A FetchError (no answer) carries no OAuth error name.
  if (name === 'FetchError')
    return new TransientError(`${PROVIDER} OAuth: ${message}`, undefined, { cause: error });
  return new PermanentError(`${PROVIDER} OAuth: ${name}: ${redact(message)}`, { cause: error });
}
