import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import { BusinessProfile } from '#shared/config/business-profile.ts';
import { providerChoices } from '#shared/config/providers.ts';
import { SECRET_ARNS_VARIABLE, secretGroups } from '#shared/config/secrets.ts';

/**
 * The deployment's configuration: CDK context (`cdk.json`, or `-c leadline:<key>=<value>` on the
 * command line), checked with zod when the app synthesizes so a wrong value stops `cdk synth`
 * with its key and what was expected, before anything reaches AWS.
 */

export const CONTEXT_PREFIX = 'leadline:';

/** Thrown for a bad context value; `infra/app.ts` prints it without a stack trace. */
export class LeadlineConfigError extends Error {
  override readonly name = 'LeadlineConfigError';
}

/** `-c` values arrive as strings: objects as JSON, numbers as digits. */
const jsonObject = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }, schema);

const emptyAsUndefined = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());

/** A business profile: the object itself, its JSON, or the path of a JSON file (relative to the app's directory). */
const businessProfileInput = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const text = value.trim().startsWith('{') ? value : readFileSync(resolve(value), 'utf8');
  return JSON.parse(text);
}, BusinessProfile);

const providerNames = <P extends keyof typeof providerChoices>(port: P) =>
  ['sandbox', ...Object.keys(providerChoices[port])] as [string, ...string[]];

/** Keys in a secret: they never go into context, which ends up in the template in plain text. */
const secretKeys = new Map(
  Object.entries(secretGroups).flatMap(([group, { keys }]) =>
    keys.map((key) => [key.replace(/\?$/, ''), group] as const),
  ),
);

/** Set by the stack itself; the settings map cannot override them. */
const STACK_MANAGED = new Set([
  'LEADS_TABLE_NAME',
  'IDEMPOTENCY_TABLE_NAME',
  'EVENT_BUS_NAME',
  'RAW_BUCKET_NAME',
  'PUBLIC_BASE_URL',
  'BUSINESS_PROFILE',
  'BUSINESS_PROFILE_FILE',
  'BUSINESS_SMS_NUMBER',
  'BUSINESS_EMAIL_FROM',
  'CRM_PROVIDER',
  'LOG_LEVEL',
  'NODE_OPTIONS',
  SECRET_ARNS_VARIABLE,
]);

const providerSettings = z
  .record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an environment variable name'), z.string())
  .superRefine((settings, ctx) => {
    for (const [key, value] of Object.entries(settings)) {
      const group = secretKeys.get(key);
      if (group) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `is a secret: put it in the "${group}" secret in Secrets Manager, not in context`,
        });
      } else if (STACK_MANAGED.has(key) || key.startsWith('POWERTOOLS_') || key.startsWith('AWS_')) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is set by the stack itself' });
      } else if (key in providerChoices) {
        const names = providerNames(key as keyof typeof providerChoices);
        if (!names.includes(value)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `expected one of ${names.join(', ')}` });
        }
      }
    }
  });

const logRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827] as const;

export const LeadlineConfig = z.object({
  /** The business (shared/config/business-profile.ts): name, time zone, hours, services, reps, … */
  businessProfile: businessProfileInput,
  /** Quiet hours for texts; overrides the profile's `quietHours` when set. */
  quietHours: emptyAsUndefined(jsonObject(BusinessProfile.shape.quietHours.unwrap())),
  /** Which CRM the leads go to; `auto` picks the one whose credentials are in its secret. */
  crm: z.enum(['auto', ...providerNames('CRM_PROVIDER')]).default('auto'),
  /** Where alarms are e-mailed (an SNS subscription the recipient confirms); none when empty. */
  alarmEmail: emptyAsUndefined(z.email()),
  businessSmsNumber: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +15125550100')
    .default('+15125550100'),
  businessEmailFrom: z.email().default('hello@leadline.example'),
  /** The URL providers call when the API sits behind a custom domain; default: the API's own URL. */
  publicBaseUrl: emptyAsUndefined(z.url()),
  /** Other non-secret provider settings, as the environment variables the functions read. */
  settings: jsonObject(providerSettings).default({}),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** The speed-to-lead objective: its p95 over this alarms. */
  speedToLeadObjectiveSeconds: z.coerce.number().positive().max(3600).default(60),
  /** A queue whose oldest message is older than this alarms. */
  oldestMessageAlarmMinutes: z.coerce.number().int().min(1).max(1440).default(5),
  /**
   * HTTP API stage throttling (requests per second, burst). A throttled webhook is answered 429,
   * which Twilio does not retry without connection overrides: a lead lost. So the limit sits far
   * above any real business's traffic (each lead brings its message and two or three status
   * callbacks) and only caps a flood, whose forged requests the functions refuse for a fraction of
   * a cent per thousand (README, "Speed to lead").
   */
  apiThrottle: jsonObject(
    z.object({
      rateLimit: z.coerce.number().int().positive().default(500),
      burstLimit: z.coerce.number().int().positive().default(1000),
    }),
  ).default({ rateLimit: 500, burstLimit: 1000 }),
  /** Raw inbound payloads and attachments are deleted after this many days. */
  rawPayloadRetentionDays: z.coerce.number().int().min(1).default(90),
  /** How long the bus's archive keeps events for replay. */
  eventArchiveRetentionDays: z.coerce.number().int().min(1).default(30),
  /**
   * The console's sign-in page is `https://<prefix>.auth.<region>.amazoncognito.com`: the prefix is
   * unique across AWS (default: `leadline-<account id>`). Cognito refuses "aws", "amazon" and "cognito" in it.
   */
  consoleDomainPrefix: emptyAsUndefined(
    z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'expected lower-case letters, digits and hyphens')
      .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'may not contain "aws", "amazon" or "cognito"'),
  ),
  logRetentionDays: z.coerce
    .number()
    .refine((d) => (logRetentionDays as readonly number[]).includes(d), {
      message: `expected one of ${logRetentionDays.join(', ')} (CloudWatch Logs retention)`,
    })
    .default(30),
});
export type LeadlineConfig = z.infer<typeof LeadlineConfig>;

/** Every key the schema knows, as it is written in context (`leadline:<key>`). */
export const contextKeys = Object.keys(LeadlineConfig.shape).map((key) => `${CONTEXT_PREFIX}${key}`);

/**
 * Reads `leadline:*` context through `tryGetContext` (cdk.json, then `-c`, which wins) and
 * validates it. An unknown `leadline:` key is an error too: it is almost always a typo.
 */
export const readLeadlineConfig = (tryGetContext: (key: string) => unknown, allKeys: string[] = []) => {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(LeadlineConfig.shape)) {
    const value = tryGetContext(`${CONTEXT_PREFIX}${key}`);
    if (value !== undefined) raw[key] = value;
  }
  const unknown = allKeys.filter((key) => key.startsWith(CONTEXT_PREFIX) && !contextKeys.includes(key));
  const problems = unknown.map((key) => `${key}: unknown setting (known: ${contextKeys.join(', ')})`);
  let parsed: ReturnType<typeof LeadlineConfig.safeParse> | undefined;
  try {
    parsed = LeadlineConfig.safeParse(raw);
  } catch (error) {
    // A profile file that cannot be read or parsed.
    problems.push(`${CONTEXT_PREFIX}businessProfile: ${(error as Error).message}`);
  }
  if (parsed && !parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, ...rest] = issue.path;
      const where = `${CONTEXT_PREFIX}${String(head ?? '')}${rest.length ? `.${rest.join('.')}` : ''}`;
      problems.push(`${where}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed?.success) {
    throw new LeadlineConfigError(
      `Invalid Leadline configuration (cdk.json "context", or -c ${CONTEXT_PREFIX}<key>=<value>):\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
  }
  const config = parsed.data;
  return {
    ...config,
    businessProfile: {
      ...config.businessProfile,
      ...(config.quietHours && { quietHours: config.quietHours }),
    },
  };
};
export type ResolvedLeadlineConfig = ReturnType<typeof readLeadlineConfig>;
