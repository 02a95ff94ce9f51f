import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import type { PreparedRequest } from '../lib/webhook-requests.ts';
import type { SoakOptions } from './args.ts';
import { type DeliveryRecord, isAccepted, needsRetry, retryUnanswered, sendJobs } from './driver.ts';
import { readLeads, readOutbox, readQueues, waitForQuiet } from './inspection.ts';
import { buildPlan, type SoakPlan } from './plan.ts';
import { CLOCK_KILL_STEP, CLOCK_STEPS, soakBusinessProfile } from './profile.ts';
import { type MessageOutcome, type Reconciliation, reconcile } from './reconcile.ts';
import { expectedMessageId, type SoakCredentials, webhookRequest } from './requests.ts';
import { RuntimeProcess } from './runtime-process.ts';

export interface SoakResult {
  ok: boolean;
  options: SoakOptions;
  plan: {
    seed: number;
    contacts: number;
    messages: number;
    deliveries: number;
    repeats: number;
    forged: number;
    bursts: number;
    stops: number;
    kill: SoakPlan['kill'] | null;
  };
  /** Milliseconds. */
  durations: Record<string, number>;
  deliveries: Record<string, number>;
  reconciliation: Reconciliation;
  files: { results: string; log: string; dataDir: string | null };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const ClockMoved = z.object({ fired: z.number().int().nonnegative().default(0) });

/** Moves the runtime's clock forward (`POST /local/clock`); the answer says how many timers fired. */
const advanceClock = async (baseUrl: string, step: string): Promise<{ fired: number }> => {
  const response = await fetch(`${baseUrl}/local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: step }),
    signal: AbortSignal.timeout(120_000),
  });
  if (!response.ok) throw new Error(`Moving the clock ${step}: ${response.status} ${await response.text()}`);
  return ClockMoved.parse(await response.json());
};

const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer()
      .once('error', fail)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => done(port));
      });
  });

/** What became of each planned message: accepted when, by the first 2xx to any of its deliveries. */
const outcomes = (plan: SoakPlan, records: readonly DeliveryRecord[]): MessageOutcome[] => {
  const acceptedAt = new Map<string, number>();
  for (const record of records) {
    for (const a of record.attempts) {
      if (a.status === undefined || a.status < 200 || a.status >= 300) continue;
      acceptedAt.set(record.message, Math.min(acceptedAt.get(record.message) ?? Infinity, a.endedAt));
    }
  }
  return plan.messages.map((m) => ({
    key: m.key,
    channel: m.channel,
    contact: plan.contacts[m.contact]!.address,
    expectedMessageId: expectedMessageId(m),
    body: m.body,
    role: m.role,
    ...(m.burst && { burst: m.burst }),
    forged: m.forgery !== undefined,
    ...(acceptedAt.has(m.key) && { acceptedAt: acceptedAt.get(m.key)! }),
  }));
};

const deliveryStats = (records: readonly DeliveryRecord[]) => {
  const attempts = records.flatMap((r) => r.attempts);
  const stats: Record<string, number> = {
    requests: records.length,
    attempts: attempts.length,
    accepted: records.filter(isAccepted).length,
    refused4xx: records.filter((r) => !isAccepted(r) && !needsRetry(r)).length,
    unansweredAfterRetries: records.filter(needsRetry).length,
    attemptsWithoutAnswer: attempts.filter((a) => a.status === undefined).length,
  };
  for (const a of attempts) {
    if (a.status !== undefined) stats[`status${a.status}`] = (stats[`status${a.status}`] ?? 0) + 1;
  }
  return stats;
};

/**
 * One soak run: starts `npm start` as a child process on a fresh data folder, sends the plan,
 * kills and restarts the runtime at the plan's moment, re-sends what went unanswered, waits for
 * quiet, reconciles, and writes the results (JSON) and the runtime's log under `options.out`.
 * `say` gets progress lines.
 */
export const runSoak = async (
  options: SoakOptions,
  say: (line: string) => void = () => undefined,
): Promise<SoakResult> => {
  const began = Date.now();
  const durations: Record<string, number> = {};
  const lap = (name: string, since: number) => {
    durations[name] = Date.now() - since;
    return Date.now();
  };
  const plan = buildPlan(options);
  const outDir = resolve(options.out);
  await mkdir(outDir, { recursive: true });
  const runId = `${new Date(began).toISOString().replace(/[:.]/g, '-')}-seed${options.seed}`;
  const logFile = join(outDir, `${runId}.log`);
  const resultsFile = join(outDir, `${runId}.json`);
  const dataDir = await mkdtemp(join(tmpdir(), 'leadline-soak-'));
  const credentials: SoakCredentials = {
    twilioAuthToken: randomBytes(16).toString('hex'),
    inboundEmailBasicAuth: `soak:${randomBytes(12).toString('hex')}`,
  };
  const runtime = new RuntimeProcess({
    port: options.port ?? (await freePort()),
    dataDir,
    logFile,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    credentials,
    logLevel: options.logLevel,
    businessProfile: JSON.stringify(soakBusinessProfile),
  });
  const interrupt = () => void runtime.kill().finally(() => process.exit(130));
  process.once('SIGINT', interrupt);

  try {
    let t = Date.now();
    say(`starting the runtime (log: ${logFile})`);
    await runtime.start();
    t = lap('start', t);

    const requests = new Map<string, PreparedRequest>(
      plan.messages.map((m) => [
        m.key,
        webhookRequest(m, plan.contacts[m.contact]!, { baseUrl: runtime.baseUrl, credentials }),
      ]),
    );
    const requestFor = (d: { message: string }) => requests.get(d.message)!;

    let crash: Promise<void> | undefined;
    say(`sending ${plan.deliveryCount} requests from ${options.concurrency} threads`);
    const records = await sendJobs({
      jobs: plan.jobs,
      concurrency: options.concurrency,
      requestFor,
      onStarted: (count) => {
        if (!options.kill || count !== plan.kill.afterDelivery) return;
        crash = (async () => {
          await sleep(plan.kill.delayMs);
          const killedAt = Date.now();
          say(`SIGKILL after request ${count} (+${plan.kill.delayMs} ms)`);
          await runtime.kill();
          await runtime.start();
          durations.downtime = Date.now() - killedAt;
          say(`restarted on the same data after ${durations.downtime} ms`);
        })();
      },
    });
    await crash;
    t = lap('send', t);

    const rounds = await retryUnanswered({
      records,
      concurrency: options.concurrency,
      rounds: options.retryRounds,
      backoffMs: options.retryBackoffMs,
      requestFor,
    });
    say(`retry rounds used: ${rounds}`);
    t = lap('retry', t);

    say('waiting for the pipeline to go quiet');
    const { quiet } = await waitForQuiet(runtime.baseUrl, {
      quietMs: options.quietMs,
      timeoutMs: options.quietTimeoutSeconds * 1000,
    });
    if (!quiet) say(`the pipeline did not go quiet within ${options.quietTimeoutSeconds} s`);
    t = lap('quiet', t);

    if (options.clock) {
      say(`moving the clock ${CLOCK_STEPS.join(', ')}: follow-ups, reminders, reps' response clocks`);
      for (const [index, step] of CLOCK_STEPS.entries()) {
        const moved = await advanceClock(runtime.baseUrl, step);
        if (options.kill && index === CLOCK_KILL_STEP) {
          await sleep(plan.kill.delayMs);
          const killedAt = Date.now();
          say(`SIGKILL ${plan.kill.delayMs} ms after moving the clock ${step} (${moved.fired} timers fired)`);
          await runtime.kill();
          await runtime.start();
          durations.clockDowntime = Date.now() - killedAt;
        }
        const settled = await waitForQuiet(runtime.baseUrl, {
          quietMs: options.quietMs,
          timeoutMs: options.quietTimeoutSeconds * 1000,
        });
        if (!settled.quiet) say(`the pipeline did not go quiet after moving the clock ${step}`);
      }
      t = lap('clock', t);
    }

    const [leads, outbox, queues] = await Promise.all([
      readLeads(runtime.baseUrl),
      readOutbox(runtime.baseUrl),
      readQueues(runtime.baseUrl),
    ]);
    await runtime.stop();
    runtime.close();
    const log = await readFile(logFile, 'utf8');
    const [user, password] = credentials.inboundEmailBasicAuth.split(':') as [string, string];
    const reconciliation = reconcile({
      messages: outcomes(plan, records),
      leads,
      outbox,
      queues,
      log,
      secrets: [
        { label: 'Twilio auth token', value: credentials.twilioAuthToken },
        { label: 'Inbound Parse basic-auth password', value: password },
        {
          label: 'Inbound Parse Authorization header',
          value: Buffer.from(`${user}:${password}`).toString('base64'),
        },
      ],
    });
    lap('reconcile', t);
    durations.total = Date.now() - began;

    const counts = Object.values(reconciliation.counts);
    const result: SoakResult = {
      ok: counts.every((n) => n === 0),
      options,
      plan: {
        seed: plan.seed,
        contacts: plan.contacts.filter((c) => !c.forged).length,
        messages: plan.messages.filter((m) => !m.forgery).length,
        deliveries: plan.deliveryCount,
        repeats: plan.jobs.flatMap((j) => j.deliveries).filter((d) => d.repeat).length,
        forged: plan.messages.filter((m) => m.forgery).length,
        bursts: new Set(plan.messages.flatMap((m) => (m.burst ? [m.burst] : []))).size,
        stops: plan.messages.filter((m) => m.role === 'stop').length,
        kill: options.kill ? plan.kill : null,
      },
      durations,
      deliveries: deliveryStats(records),
      reconciliation,
      files: { results: resultsFile, log: logFile, dataDir: options.keepData ? dataDir : null },
    };
    // Everything, for a closer look: each request's tries and the views as they were read.
    await writeFile(
      resultsFile,
      `${JSON.stringify({ ...result, records, views: { leads, outbox, queues } }, null, 2)}\n`,
    );
    return result;
  } finally {
    process.removeListener('SIGINT', interrupt);
    await runtime.kill();
    runtime.close();
    if (!options.keepData) await rm(dataDir, { recursive: true, force: true });
  }
};
