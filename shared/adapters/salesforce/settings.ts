import * as z from 'zod';
import { booleanFlag, readEnv } from '#shared/config/env.ts';

const apiName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a Salesforce field API name');

/**
 * Salesforce settings, read when the CRM adapter is first built. The three secrets come from the
 * `salesforce` secret group (a connected app's client id and secret, and a refresh token from the
 * OAuth web server flow); jsforce exchanges the refresh token for access tokens as they expire.
 */
export const readSalesforceSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readEnv(
    {
      SALESFORCE_CLIENT_ID: z.string().min(1),
      SALESFORCE_CLIENT_SECRET: z.string().min(1),
      SALESFORCE_REFRESH_TOKEN: z.string().min(1),
      /** The org's My Domain URL, e.g. https://acme.my.salesforce.com (the token answer may move it). */
      SALESFORCE_INSTANCE_URL: z.url(),
      /** https://test.salesforce.com for a sandbox org; a loopback fake in tests. */
      SALESFORCE_LOGIN_URL: z.url().default('https://login.salesforce.com'),
      SALESFORCE_API_VERSION: z
        .string()
        .regex(/^\d{2,3}\.0$/, 'expected an API version such as 62.0')
        .default('62.0'),
      SALESFORCE_OBJECT: z.enum(['Lead', 'Contact']).default('Lead'),
      /** A custom field marked External ID and Unique on that object, holding our lead id. */
      SALESFORCE_EXTERNAL_ID_FIELD: apiName.default('Leadline_Id__c'),
      /** A number field for the lead's score; omitted when unset. */
      SALESFORCE_SCORE_FIELD: apiName.optional(),
      /** Company is required on a Lead; texts and emails rarely name one. */
      SALESFORCE_DEFAULT_COMPANY: z.string().min(1).max(255).default('[not provided]'),
      /** Log each message of the conversation as a completed Task on the record. */
      SALESFORCE_LOG_TASKS: booleanFlag(true),
      /** A custom Activity field marked External ID and Unique: the key Tasks are upserted on. */
      SALESFORCE_TASK_EXTERNAL_ID_FIELD: apiName.default('Leadline_Message_Id__c'),
    },
    env,
  );

export type SalesforceSettings = ReturnType<typeof readSalesforceSettings>;
