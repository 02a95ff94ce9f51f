import * as z from 'zod';

/** One setting that is wrong: its variable name and what is wrong with it ("not set", the rule it breaks). */
export interface SettingProblem {
  readonly setting: string;
  readonly problem: string;
}

/**
 * Raised at start-up when a setting is missing or malformed; names the variable. `problems` lists
 * each wrong setting when they are known one by one (`readEnv`), for a caller that shows them all.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(
    message: string,
    readonly problems: readonly SettingProblem[] = [],
  ) {
    super(message);
  }
}

/**
 * Reads and validates environment variables once, when a module loads, so a function with a
 * wrong setting fails at once with the variable's name instead of on the first lead.
 */
export const readEnv = <S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> => {
  const values: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    values[key] = value === '' ? undefined : value;
  }
  const parsed = z.object(shape).safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const setting = i.path.join('.') || '(root)';
      return { setting, problem: values[setting] === undefined ? 'not set' : i.message };
    });
    throw new ConfigurationError(
      `Invalid configuration: ${problems.map((p) => `${p.setting}: ${p.problem}`).join('; ')}`,
      problems,
    );
  }
  return parsed.data;
};

/** `"true"`/`"false"`/`"1"`/`"0"` → boolean. */
export const booleanFlag = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? defaultValue : v === 'true' || v === '1'));

/** `user:password` */
export const basicAuthPair = z
  .string()
  .regex(/^[^:]+:.+$/, 'expected user:password')
  .transform((v) => {
    const at = v.indexOf(':');
    return { user: v.slice(0, at), password: v.slice(at + 1) };
  });
