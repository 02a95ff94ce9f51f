/**
 * What every `npm run` script shares: its arguments read strictly, `--help`, and mistakes told in
 * one line plus the usage instead of a Node stack trace; the local runtime's URL found as `npm start`
 * sets it; a refused connection told in one line.
 */
import { resolve } from 'node:path';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { runningRuntimeUrl } from '../local/data-dir-lock.ts';

/** A mistake in how a script was called: printed with the usage, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliSpec<O extends ParseArgsOptionsConfig> {
  /** How the script is run, e.g. `npm run sms --`. */
  readonly command: string;
  /** The usage text after the command: arguments, then a line or two on what it does. */
  readonly usage: string;
  readonly options: O;
  /** Positional arguments it takes, by name (e.g. `['subscriber']`); none by default. */
  readonly positionals?: readonly string[];
  /** String options that must be given and not empty. */
  readonly required?: readonly (keyof O & string)[];
}

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
};

const suggestion = (given: string, names: readonly string[]) => {
  const near = names.find((name) => distance(given, name) <= 2);
  return near ? ` (did you mean --${near}?)` : '';
};

/**
 * Reads the arguments strictly (`node:util` parseArgs). Throws `UsageError` naming the mistake:
 * an unknown option (with the nearest known one), a missing or empty value, an option npm took for
 * itself because `--` was left out (npm then sets `npm_config_<name>`), a missing or extra
 * positional argument. `--help` is the caller's to check.
 */
export const readArguments = <O extends ParseArgsOptionsConfig>(
  spec: CliSpec<O>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
) => {
  const names = Object.keys(spec.options);
  const swallowed = names.filter((name) => env[`npm_config_${name.replaceAll('-', '_')}`] !== undefined);
  if (swallowed.length > 0 && !argv.some((arg) => arg === '--help' || arg === '-h')) {
    throw new UsageError(
      `npm read ${swallowed.map((n) => `--${n}`).join(', ')} as its own option: put -- between the script and its options (${spec.command} --${swallowed[0]} …)`,
    );
  }
  let parsed: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: spec.options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '--?([^']+)'/.exec(message)?.[1];
    throw new UsageError(unknown ? `unknown option --${unknown}${suggestion(unknown, names)}` : message);
  }
  const expected = spec.positionals ?? [];
  const values = parsed.values as Record<string, unknown>;
  if (!values.help) {
    if (parsed.positionals.length > expected.length) {
      throw new UsageError(`unexpected argument "${parsed.positionals[expected.length]}"`);
    }
    const missing = expected.slice(parsed.positionals.length);
    if (missing.length > 0) throw new UsageError(`missing <${missing.join('> <')}>`);
    for (const name of spec.required ?? []) {
      if (values[name] === undefined) throw new UsageError(`--${name} is required`);
    }
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'string' && value.trim() === '') throw new UsageError(`--${name} is empty`);
    }
  }
  return parsed;
};

/**
 * Runs a script's argument parsing (`parse`, which throws `UsageError` for a mistake): prints the
 * usage and exits 0 when it returns `{ help: true }`; prints the mistake and the usage and exits 2
 * on a `UsageError`.
 */
export const withUsage = <T>(
  spec: Pick<CliSpec<ParseArgsOptionsConfig>, 'command' | 'usage'>,
  parse: () => T,
): T => {
  const usage = `Usage: ${spec.command} ${spec.usage}`;
  try {
    const parsed = parse();
    if ((parsed as { help?: unknown }).help === true) {
      console.log(usage);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${spec.command.replace(/ --$/, '')}: ${error.message}\n${usage}`);
    process.exit(2);
  }
};

/** `readArguments` for a script's top level, through `withUsage`: the parsed values, or an exit. */
export const parseCli = <O extends ParseArgsOptionsConfig>(
  spec: CliSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
) =>
  withUsage(spec, () => {
    const parsed = readArguments(spec, argv, env);
    return { ...parsed, help: (parsed.values as { help?: boolean }).help === true };
  });

/**
 * The running local runtime's URL: the one `npm start` recorded in its data folder
 * (`LEADLINE_DATA_DIR`, default `.data`) while it runs, else `http://localhost:$PORT` (default
 * 3000), PORT read from the environment or `.env` as `npm start` reads it.
 */
export const localRuntimeUrl = async (env: NodeJS.ProcessEnv = process.env): Promise<string> =>
  (await runningRuntimeUrl(resolve(env.LEADLINE_DATA_DIR || '.data'))) ??
  `http://localhost:${env.PORT || 3000}`;

/**
 * `fetch`, told first on stdout (`POST http://…`), with a connection nobody answers turned into
 * one line on stderr and exit status 1, instead of the `fetch failed` stack trace.
 */
export const call = async (url: string, init: RequestInit = {}): Promise<Response> => {
  console.log(`${init.method ?? 'GET'} ${url}`);
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const origin = new URL(url).origin;
    const reason =
      cause?.code === 'ECONNREFUSED'
        ? `nothing answers at ${origin} (connection refused). Is \`npm start\` running, and on that port? It listens on PORT (default 3000); pass --url to call another address.`
        : `could not reach ${origin}: ${cause?.code ?? (error as Error).message}`;
    console.error(reason);
    process.exit(1);
  }
};
