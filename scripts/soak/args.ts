import { parseArgs } from 'node:util';
import * as z from 'zod';
import { MAX_MESSAGES, MIN_MESSAGES } from './plan.ts';

export const DEFAULT_SEED = 8;

export const USAGE = `Usage: npm run soak -- [options]

Starts the local runtime (npm start) on a fresh data folder, sends signed Twilio and SendGrid
webhooks from several threads (repeats, bursts, STOPs, forgeries), SIGKILLs the runtime about
halfway and restarts it on the same data, re-sends what got no answer or a 5xx, waits for the
pipeline to go quiet, moves the clock through 5 days (follow-ups, reminders, reps' response
clocks; SIGKILLed again on the way) and reconciles. Exits 1 when any count is above 0.

Options:
  --messages N            webhook requests in all, repeats and forgeries included (${MIN_MESSAGES}–${MAX_MESSAGES}; 600)
  --concurrency N         threads sending at once (1–64; 8)
  --seed N                seed of the plan: contacts, texts, repeats, forgeries, bursts, kill moment (${DEFAULT_SEED})
  --no-kill               run without the SIGKILLs and restarts
  --no-clock              stop once quiet, without moving the clock through 5 days of follow-ups,
                          reminders and reps' response clocks (a second SIGKILL comes during it)
  --visibility-timeout S  the runtime's queue visibility timeout in seconds (1–120; 30). AWS requires
                          it to be at least the function timeout (30 s; the stack sets 6 ×): a
                          record a crash left in progress is then retried only once its claim has
                          run out. Shorter, it may run out of receives and be dead-lettered
  --max-gap-ms N          longest pause of a thread between two jobs (0–10000; 250)
  --retry-rounds N        rounds of re-sending unanswered requests (0–10; 4)
  --retry-backoff-ms N    pause before the first round, doubled each round (0–60000; 500)
  --quiet-ms N            how long the queues must stay empty to call the pipeline quiet (500–60000; 3000)
  --quiet-timeout S       how long to wait for quiet at most, in seconds (10–3600; 300)
  --port N                port for the runtime (a free one)
  --log-level LEVEL       the functions' log level (DEBUG, INFO, WARN, ERROR; INFO)
  --out DIR               where the results (JSON) and the runtime's log go (.soak)
  --keep-data             keep the runtime's data folder (printed) instead of removing it
  -h, --help              this text
`;

/** A mistake in the command line: shown with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const SoakOptionsSchema = z.object({
  messages: int(MIN_MESSAGES, MAX_MESSAGES).default(600),
  concurrency: int(1, 64).default(8),
  seed: int(0, 2 ** 31 - 1).default(DEFAULT_SEED),
  kill: z.boolean().default(true),
  /** Move the clock through follow-ups, reminders and response clocks once quiet (with a second SIGKILL). */
  clock: z.boolean().default(true),
  visibilityTimeoutSeconds: int(1, 120).default(30),
  maxGapMs: int(0, 10_000).default(250),
  retryRounds: int(0, 10).default(4),
  retryBackoffMs: int(0, 60_000).default(500),
  quietMs: int(500, 60_000).default(3000),
  quietTimeoutSeconds: int(10, 3600).default(300),
  port: int(1, 65_535).optional(),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  out: z.string().min(1).default('.soak'),
  keepData: z.boolean().default(false),
});

export type SoakOptions = z.infer<typeof SoakOptionsSchema>;

/** Defaults for every option, with some set: what a test or another script passes. */
export const soakOptions = (options: z.input<typeof SoakOptionsSchema> = {}): SoakOptions =>
  SoakOptionsSchema.parse(options);

/**
 * Reads the command line (without `node` and the script).
 * @returns the options, or `help` when usage was asked for
 * @throws UsageError naming the mistake
 */
export const parseSoakArgs = (argv: readonly string[]): SoakOptions | 'help' => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        messages: { type: 'string' },
        concurrency: { type: 'string' },
        seed: { type: 'string' },
        'no-kill': { type: 'boolean' },
        'no-clock': { type: 'boolean' },
        'visibility-timeout': { type: 'string' },
        'max-gap-ms': { type: 'string' },
        'retry-rounds': { type: 'string' },
        'retry-backoff-ms': { type: 'string' },
        'quiet-ms': { type: 'string' },
        'quiet-timeout': { type: 'string' },
        port: { type: 'string' },
        'log-level': { type: 'string' },
        out: { type: 'string' },
        'keep-data': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const parsed = SoakOptionsSchema.safeParse({
    messages: values.messages,
    concurrency: values.concurrency,
    seed: values.seed,
    kill: !values['no-kill'],
    clock: !values['no-clock'],
    visibilityTimeoutSeconds: values['visibility-timeout'],
    maxGapMs: values['max-gap-ms'],
    retryRounds: values['retry-rounds'],
    retryBackoffMs: values['retry-backoff-ms'],
    quietMs: values['quiet-ms'],
    quietTimeoutSeconds: values['quiet-timeout'],
    port: values.port,
    logLevel: typeof values['log-level'] === 'string' ? values['log-level'].toUpperCase() : undefined,
    out: values.out,
    keepData: values['keep-data'] ?? false,
  });
  if (!parsed.success) {
    const flag = (path: PropertyKey[]) =>
      `--${String(path[0])
        .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
        .replace(/-seconds$/, '')}`;
    throw new UsageError(parsed.error.issues.map((i) => `${flag(i.path)}: ${i.message}`).join('; '));
  }
  return parsed.data;
};
