/**
 * `npm run redrive -- <subscriber> [--local [--url http://localhost:3000]] [--max-per-second N] [--wait]`
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
    throw new Error(
      `The local runtime does not answer at ${options.url} (is npm start running?): ${(error as Error).message}`,
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

const Arguments = z.object({
  subscriber: z.enum(subscribers.map((s) => s.name) as [string, ...string[]], {
    error: `expected one of the subscribers: ${subscribers.map((s) => s.name).join(', ')}`,
  }),
  local: z.boolean(),
  url: z.url(),
  maxPerSecond: z.coerce.number().int().min(1).max(500).optional(),
  wait: z.boolean(),
});

export const parseArguments = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env) => {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [key, inline] = arg.slice(2).split(/=(.*)/s);
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(key!, inline);
    else if ((key === 'url' || key === 'max-per-second') && next !== undefined) {
      flags.set(key, next);
      i++;
    } else flags.set(key!, true);
  }
  const url = flags.get('url');
  const parsed = Arguments.safeParse({
    subscriber: positional[0],
    local: flags.has('local') || flags.has('url') || Boolean(env.LOCAL_URL),
    url: typeof url === 'string' ? url : (env.LOCAL_URL ?? `http://localhost:${env.PORT ?? 3000}`),
    maxPerSecond: flags.get('max-per-second'),
    wait: flags.has('wait'),
  });
  if (!parsed.success) {
    throw new Error(
      `${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n` +
        'Usage: npm run redrive -- <subscriber> [--local [--url http://localhost:3000]] [--max-per-second N] [--wait]',
    );
  }
  return parsed.data;
};

const main = async () => {
  const args = parseArguments(process.argv.slice(2));
  const outcome = args.local
    ? await redriveLocally({ subscriber: args.subscriber, url: args.url })
    : await redriveInAws({
        subscriber: args.subscriber,
        client: new SQSClient({}),
        ...(args.maxPerSecond !== undefined && { maxPerSecond: args.maxPerSecond }),
        wait: args.wait,
        log: (line) => console.log(line),
      });
  if (args.local) console.log(`Moved ${outcome.moved} message(s) back to the ${args.subscriber} queue.`);
  else if (outcome.taskHandle) console.log(`Move task started: ${outcome.taskHandle}`);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
