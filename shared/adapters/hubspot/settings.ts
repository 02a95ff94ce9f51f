import * as z from 'zod';
import { booleanFlag, readEnv } from '#shared/config/env.ts';

const propertyName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a HubSpot property internal name');

/**
 * HubSpot settings, read when the CRM adapter is first built. The access token (a private app's,
 * with the crm.objects.contacts and crm.objects.deals read/write scopes) comes from the `hubspot`
 * secret group.
 *
 * Contacts are upserted by `HUBSPOT_ID_PROPERTY`. The default, `leadline_id`, is a custom contact
 * property with "unique values" on, holding our lead id: one atomic upsert for every lead, with or
 * without an email. Set it to `email` to use HubSpot's standard properties only: email leads are
 * upserted by email, and texters are found by searching `phone`, which HubSpot does not keep unique
 * and indexes for search a few seconds late, so two syncs of a new texter close together can
 * create two contacts.
 */
export const readHubSpotSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readEnv(
    {
      HUBSPOT_ACCESS_TOKEN: z.string().min(1),
      /** A loopback fake in tests. */
      HUBSPOT_BASE_PATH: z.url().default('https://api.hubapi.com'),
      HUBSPOT_ID_PROPERTY: propertyName.default('leadline_id'),
      /** Custom contact properties (number; single-line text) for Leadline's score and grade. */
      HUBSPOT_SCORE_PROPERTY: propertyName.default('leadline_score'),
      HUBSPOT_GRADE_PROPERTY: propertyName.default('leadline_grade'),
      /** Open one deal, associated with the contact, when a lead turns hot. */
      HUBSPOT_CREATE_DEALS: booleanFlag(false),
      HUBSPOT_DEAL_PIPELINE: z.string().min(1).default('default'),
      HUBSPOT_DEAL_STAGE: z.string().min(1).default('appointmentscheduled'),
    },
    env,
  );

export type HubSpotSettings = ReturnType<typeof readHubSpotSettings>;
