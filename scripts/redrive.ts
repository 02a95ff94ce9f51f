/**
 * `npm run redrive -- <subscriber> [--local [--url http://localhost:3000]] [--max-per-second N] [--wait]`
 * (`--help` says more).
 *
 * Moves a subscriber's dead-lettered messages back to its queue, once the cause is fixed.
 * - In AWS: SQS's own message-move task (StartMessageMoveTask), from the subscriber's DLQ to its
 *   queue. The queues are found by name (`infra/names.ts`: `leadline-<subscriber>` and
 *   `leadline-<subscriber>-dlq`, fixed by the stack), in the region and with the credentials of
 *   the AWS SDK's usual settings (AWS_PROFILE, AWS_REGION, …).
 * - Locally (`--local`, or LOCAL_URL set): asks the running `npm start` to move them
 *   (`POST /local/queues/<subscriber>/redrive`); the runtime moves them itself, so this is safe
 *   while it runs.
 */
import { pathToFileURL } from 'node:url';
import { ListMessageMoveTasksCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { startDeadLetterMove } from '#shared/adapters/aws/sqs-queue-health.ts';
import { deadLetterQueueName, subscribers } from '#shared/pipeline.ts';
import { localRuntimeUrl, readArguments, UsageError, withUsage } from './lib/cli.ts';
import { loadDotEnv } from './lib/load-dotenv.ts';

export interface RedriveOutcome {
  subscriber: string;
  /** Messages waiting in the DLQ when the move started (AWS), or moved (local). */
  messages: number;
  taskHandle?: string;
  moved?: number;
  status?: string;
}

/** Starts an SQS message-move task from the subscriber's DLQ to its queue; with `wait`, follows it to its end. */
export const redriveInAws = async (options: {
  subscriber: string;
  client: SQSClient;
  maxPerSecond?: number;
  wait?: boolean;
  pollMs?: number;
  log?: (line: string) => void;
}): Promise<RedriveOutcome> => {
  const log = options.log ?? (() => undefined);
  const { queue, deadLetter, taskHandle } = await startDeadLetterMove(options.client, options.subscriber, {
    ...(options.maxPerSecond !== undefined && { maxPerSecond: options.maxPerSecond }),
  });
  if (deadLetter.visible === 0) {
    log(`${deadLetterQueueName(options.subscriber)} is empty: nothing to redrive.`);
    return { subscriber: options.subscriber, messages: 0 };
  }
  log(`Moving about ${deadLetter.visible} message(s) from ${deadLetter.arn} to ${queue.arn}`);
  const outcome: RedriveOutcome = {
    subscriber: options.subscriber,
    messages: deadLetter.visible,
    ...(taskHandle && { taskHandle }),
  };
  if (!options.wait) return outcome;
  for (;;) {
    const { Results } = await options.client.send(
      new ListMessageMoveTasksCommand({ SourceArn: deadLetter.arn, MaxResults: 1 }),
    );
    const task = Results?.[0];
    const status = task?.Status ?? 'UNKNOWN';
    log(`  ${status}: ${task?.ApproximateNumberOfMessagesMoved ?? 0} moved`);
    if (status !== 'RUNNING') {
      if (status === 'FAILED')
        throw new Error(`The move task failed: ${task?.FailureReason ?? 'no reason given'}`);
      return { ...outcome, status, moved: task?.ApproximateNumberOfMessagesMoved ?? 0 };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
  }
};

/** Asks a running local runtime to move the subscriber's dead-lettered messages back. */
export const redriveLocally = async (options: {
  subscriber: string;
  url: string;
}): Promise<RedriveOutcome> => {
  const endpoint = `${options.url.replace(/\/$/, '')}/local/queues/${encodeURIComponent(options.subscriber)}/redrive`;
  let response: Response;
  try {
    response = await fetch(endpoint, { method: 'POST' });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new Error(
      `The local runtime does not answer at ${options.url} (${code}): is npm start running, and on that port?`,
    );
  }
  const body = z.object({ moved: z.number().int() }).safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !body.success) {
    throw new Error(`The local runtime refused the redrive (${response.status} from ${endpoint})`);
  }
  return {
    subscriber: options.subscriber,
    messages: body.data.moved,
    moved: body.data.moved,
    status: 'COMPLETED',
  };
};

export const REDRIVE_CLI = {
  command: 'npm run redrive --',
  usage: `<subscriber> [--local] [--url http://localhost:3000] [--max-per-second N] [--wait]
Moves the subscriber's dead-lettered messages back to its queue, once the cause is fixed.
  <subscriber>        ${subscribers.map((s) => s.name).join(', ')}
  (AWS)               SQS StartMessageMoveTask, leadline-<subscriber>-dlq → leadline-<subscriber>,
                      with the AWS SDK's usual credentials and region (AWS_PROFILE, AWS_REGION)
  --max-per-second N  move at most N messages a second (1–500; AWS only)
  --wait              follow the move task until it ends (AWS only)
  --local             ask the running npm start instead (found through LEADLINE_DATA_DIR, else
                      http://localhost:$PORT); --url or LOCAL_URL for another address`,
  options: {
    local: { type: 'boolean', default: false },
    url: { type: 'string' },
    'max-per-second': { type: 'string' },
    wait: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  positionals: ['subscriber'],
} as const;

const Arguments = z.object({
  subscriber: z.enum(subscribers.map((s) => s.name) as [string, ...string[]], {
    error: `expected one of the subscribers: ${subscribers.map((s) => s.name).join(', ')}`,
  }),
  local: z.boolean(),
  url: z.url().optional(),
  maxPerSecond: z.coerce.number().int().min(1).max(500).optional(),
  wait: z.boolean(),
});

/**
 * The redrive's arguments; `{ help: true }` for `--help`. Local when `--local`, `--url` or
 * `LOCAL_URL` is given; `url` is then the address given, if any (else the running runtime's,
 * `localRuntimeUrl`). Throws `UsageError` naming the mistake.
 */
export const parseArguments = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env) => {
  const { values, positionals } = readArguments(REDRIVE_CLI, argv, env);
  if (values.help) return { help: true as const };
  const url = values.url ?? (env.LOCAL_URL || undefined);
  const parsed = Arguments.safeParse({
    subscriber: positionals[0],
    local: values.local || url !== undefined,
    url,
    maxPerSecond: values['max-per-second'],
    wait: values.wait,
  });
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '),
    );
  }
  return { help: false as const, ...parsed.data };
};

const main = async () => {
  loadDotEnv();
  const args = withUsage(REDRIVE_CLI, () => parseArguments(process.argv.slice(2)));
  if (args.help) return;
  if (args.local) {
    const url = args.url ?? (await localRuntimeUrl());
    console.log(`POST ${url}/local/queues/${args.subscriber}/redrive`);
    const outcome = await redriveLocally({ subscriber: args.subscriber, url });
    console.log(`Moved ${outcome.moved} message(s) back to the ${args.subscriber} queue.`);
    return;
  }
  const outcome = await redriveInAws({
    subscriber: args.subscriber,
    client: new SQSClient({}),
    ...(args.maxPerSecond !== undefined && { maxPerSecond: args.maxPerSecond }),
    wait: args.wait,
    log: (line) => console.log(line),
  });
  if (outcome.taskHandle) console.log(`Move task started: ${outcome.taskHandle}`);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
