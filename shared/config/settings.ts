import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { BusinessProfile, demoBusinessProfile } from './business-profile.ts';
import { ConfigurationError, readEnv } from './env.ts';

/** Where the pipeline keeps its data; every function reads these. */
export const readStorageSettings = () =>
  readEnv({
    LEADS_TABLE_NAME: z.string().min(3),
    IDEMPOTENCY_TABLE_NAME: z.string().min(3),
    EVENT_BUS_NAME: z.string().min(1),
  });

/**
 * The business profile: `BUSINESS_PROFILE` (JSON) or `BUSINESS_PROFILE_FILE` (a JSON file),
 * else the demo business. Validated once; a bad profile fails start-up with the field's path.
 */
export const readBusinessProfile = (env: NodeJS.ProcessEnv = process.env): BusinessProfile => {
  let raw: unknown = demoBusinessProfile;
  let origin = 'the demo profile';
  try {
    if (env.BUSINESS_PROFILE) {
      origin = 'BUSINESS_PROFILE';
      raw = JSON.parse(env.BUSINESS_PROFILE);
    } else if (env.BUSINESS_PROFILE_FILE) {
      origin = `BUSINESS_PROFILE_FILE (${env.BUSINESS_PROFILE_FILE})`;
      raw = JSON.parse(readFileSync(env.BUSINESS_PROFILE_FILE, 'utf8'));
    }
  } catch (error) {
    throw new ConfigurationError(`${origin} is not readable JSON: ${(error as Error).message}`);
  }
  const parsed = BusinessProfile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`${origin} is not a valid business profile: ${problems}`);
  }
  return parsed.data;
};

/** How the business is reached and replies: its number and email identity. */
export const readIdentitySettings = () =>
  readEnv({
    BUSINESS_SMS_NUMBER: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number')
      .default('+15125550100'),
    BUSINESS_EMAIL_FROM: z.email().default('hello@leadline.example'),
    /** The business's WhatsApp sender on Twilio; the SMS number when unset. */
    BUSINESS_WHATSAPP_NUMBER: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number')
      .optional(),
    PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  });
