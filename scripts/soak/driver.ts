import type { PreparedRequest } from '../lib/webhook-requests.ts';
import type { PlannedDelivery, PlannedJob } from './plan.ts';

/** One try of one webhook request, as the provider saw it. */
export interface Attempt {
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number;
  /** HTTP status; absent when no answer came (connection refused or reset, timeout). */
  status?: number;
  error?: string;
  round: number;
}

export interface DeliveryRecord {
  id: string;
  message: string;
  repeat: boolean;
  attempts: Attempt[];
}

/** Twilio waits 15 s for an answer (FACTS.md, Twilio webhooks). */
const PROVIDER_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Posts a prepared request once; never throws. */
export const attempt = async (request: PreparedRequest, round: number): Promise<Attempt> => {
  const startedAt = Date.now();
  try {
    const response = await fetch(request.url, {
      ...request.init,
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return { startedAt, endedAt: Date.now(), status: response.status, round };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { startedAt, endedAt: Date.now(), error: cause ?? (error as Error).name, round };
  }
};

/** Accepted: some try was answered 2xx. */
export const isAccepted = (record: Pick<DeliveryRecord, 'attempts'>) =>
  record.attempts.some((a) => a.status !== undefined && a.status >= 200 && a.status < 300);

/**
 * What a provider retries: no answer or a 5xx, until some try is answered 2xx; a 4xx is final.
 * (Twilio with connection overrides, SendGrid Inbound Parse: FACTS.md.)
 */
export const needsRetry = (record: Pick<DeliveryRecord, 'attempts'>) => {
  if (record.attempts.length === 0) return true;
  if (isAccepted(record)) return false;
  if (record.attempts.some((a) => a.status !== undefined && a.status < 500)) return false;
  return true;
};

/** Runs `work` on `items` from `concurrency` threads, in order of the list. */
export const runThreads = async <T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const thread = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, thread));
};

/**
 * Sends the plan's jobs from `concurrency` threads (a job's deliveries one after another, each
 * after its gap), calling `onStarted` with the running count of deliveries started.
 */
export const sendJobs = async (options: {
  jobs: readonly PlannedJob[];
  concurrency: number;
  requestFor: (delivery: PlannedDelivery) => PreparedRequest;
  onStarted: (count: number) => void;
}): Promise<DeliveryRecord[]> => {
  const records: DeliveryRecord[] = [];
  let started = 0;
  await runThreads(options.jobs, options.concurrency, async (job) => {
    for (const delivery of job.deliveries) {
      await sleep(delivery.gapBeforeMs);
      const record: DeliveryRecord = { ...delivery, attempts: [] };
      records.push(record);
      options.onStarted(++started);
      record.attempts.push(await attempt(options.requestFor(delivery), 0));
    }
  });
  return records.sort((a, b) => a.id.localeCompare(b.id));
};

/**
 * Re-sends, in rounds with a growing pause, every delivery that got no answer or a 5xx, as the
 * providers retry. Resolves with the number of rounds that had something to send.
 */
export const retryUnanswered = async (options: {
  records: readonly DeliveryRecord[];
  concurrency: number;
  rounds: number;
  backoffMs: number;
  requestFor: (record: DeliveryRecord) => PreparedRequest;
}): Promise<number> => {
  let used = 0;
  for (let round = 1; round <= options.rounds; round++) {
    const pending = options.records.filter(needsRetry);
    if (pending.length === 0) break;
    used = round;
    await sleep(options.backoffMs * 2 ** (round - 1));
    await runThreads(pending, options.concurrency, async (record) => {
      record.attempts.push(await attempt(options.requestFor(record), round));
    });
  }
  return used;
};
