/**
 * Load on the local runtime: signed Twilio SMS webhooks, each from a lead of its own, sent at a
 * steady rate (open loop: on schedule whatever the answers) or as one burst, and the time from the
 * post to the reply handed to the SMS sender (the sandbox sender's record, where a real one would
 * call Twilio). While it runs, every queue's depth and oldest message are sampled, so the stage
 * that falls behind is named.
 */

import { subscriberNamed } from '#shared/pipeline.ts';
import { type PreparedRequest, signedSmsRequest } from '../lib/webhook-requests.ts';
import type { LocalRuntime } from '../local/runtime.ts';
import { DEV_DEFAULTS } from '../local/runtime.ts';
import type { AwsCallCounter, InvocationRecord, SandboxCall } from './aws-calls.ts';
import { median, type Summary, summarize } from './stats.ts';

/** What leads write: a mix of questions, requests for a visit and an emergency, as leads do. */
const TEXTS = [
  "Hi, this is Sam. My kitchen sink is clogged and water won't drain. I'm in Austin, can someone come today?",
  'Do you install tankless water heaters? Looking to replace ours next month in Round Rock.',
  'How much for a bathroom remodel? Just getting quotes for now.',
  'Leaking pipe under the bathroom sink, dripping all night. Pflugerville. How soon can you come?',
];

/** How one stage (queue) fared: its deepest backlog and oldest message while the load ran. */
export interface StageBacklog {
  maxDepth: number;
  maxAgeMs: number;
}

export interface LoadResult {
  label: string;
  /** Leads per second offered; undefined for a burst (as fast as the webhook answers). */
  offeredRate: number | undefined;
  leads: number;
  replied: number;
  /** Post → HTTP answer. */
  webhook: Summary;
  /** SMS posted → reply handed to the SMS sender. */
  reply: Summary;
  /** Replies per second from the first post to the last reply. */
  completedPerSecond: number;
  /** Seconds from the first post to the last reply (or to giving up). */
  elapsedSeconds: number;
  /**
   * Whether replies kept pace: every one came, at 85% of the offered rate or more (a steady rate),
   * and the last third of the leads waited no longer (median, within 50% and 50 ms of noise) than
   * the first third: nothing queued up.
   */
  keptUp: boolean;
  backlog: Record<string, StageBacklog>;
  /** The queue whose oldest message grew oldest (past its batching window): where the pipeline fell behind. */
  slowestStage: string;
  /** CPU time of this process (the whole local runtime) per lead, ms. */
  cpuMsPerLead: number;
  invocations: InvocationRecord[];
}

/** Hands out phone numbers no earlier lead of this run used (NANP 512-555-xxxx). */
export class LeadNumbers {
  private next = 1000;
  take(): string {
    if (this.next > 9999) throw new Error('The benchmark ran out of fresh numbers for leads');
    return `+1512555${String(this.next++).padStart(4, '0')}`;
  }
}

/** Resolves each lead's reply when the sandbox SMS sender records a text to its number. */
export class ReplyWatch {
  private readonly waiting = new Map<string, (at: number) => void>();

  /** For the counter's `onSandboxWrite`. */
  readonly observe = (call: SandboxCall) => {
    if (call.pk !== 'OUTBOX' || call.item.kind !== 'sms') return;
    const to = String(call.item.to);
    this.waiting.get(to)?.(call.at);
    this.waiting.delete(to);
  };

  expect(phone: string): Promise<number> {
    return new Promise((resolve) => this.waiting.set(phone, resolve));
  }
}

const sampleBacklog = (runtime: LocalRuntime, backlog: Record<string, StageBacklog>) => {
  const now = Date.now();
  for (const [name, { queue }] of runtime.queues) {
    const stats = queue.stats();
    const oldest = queue.oldestSentTimestamp();
    backlog[name] ??= { maxDepth: 0, maxAgeMs: 0 };
    const entry = backlog[name];
    entry.maxDepth = Math.max(entry.maxDepth, stats.visible + stats.inFlight);
    if (oldest !== undefined) entry.maxAgeMs = Math.max(entry.maxAgeMs, now - oldest);
  }
};

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

/**
 * Sends `count` leads, at `rate` a second (or all at once, at most `concurrency` posts in flight,
 * when `rate` is undefined), and waits up to `replyTimeoutMs` after the last post for the replies.
 */
export const runLoad = async (options: {
  label: string;
  runtime: LocalRuntime;
  counter: AwsCallCounter;
  watch: ReplyWatch;
  numbers: LeadNumbers;
  count: number;
  rate: number | undefined;
  concurrency?: number;
  replyTimeoutMs?: number;
}): Promise<LoadResult> => {
  const { runtime, counter, watch, count, rate } = options;
  const url = `${runtime.url}/webhooks/twilio/sms`;
  const leads = Array.from({ length: count }, (_, i) => {
    const from = options.numbers.take();
    return {
      from,
      request: signedSmsRequest({
        publicUrl: url,
        authToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
        from,
        to: '+15125550100',
        body: TEXTS[i % TEXTS.length]!,
      }),
    };
  });

  await runtime.drain(60_000);
  counter.take();
  const backlog: Record<string, StageBacklog> = {};
  const sampler = setInterval(() => sampleBacklog(runtime, backlog), 50);
  const cpuBefore = process.cpuUsage();
  const webhookMs: number[] = [];
  const replies: Array<{ sentAt: number; repliedAt: number }> = [];
  const pending: Promise<void>[] = [];
  const post = async (lead: { from: string; request: PreparedRequest }) => {
    const replied = watch.expect(lead.from);
    const sentAt = performance.now();
    const response = await fetch(lead.request.url, lead.request.init);
    await response.text();
    webhookMs.push(performance.now() - sentAt);
    if (response.status !== 200) throw new Error(`The webhook answered ${response.status} for ${lead.from}`);
    pending.push(replied.then((repliedAt) => void replies.push({ sentAt, repliedAt })));
  };

  const startedAt = performance.now();
  if (rate !== undefined) {
    const posts: Promise<void>[] = [];
    for (const [i, lead] of leads.entries()) {
      await sleepUntil(startedAt + (i * 1000) / rate);
      posts.push(post(lead));
    }
    await Promise.all(posts);
  } else {
    let next = 0;
    const worker = async () => {
      while (next < leads.length) await post(leads[next++]!);
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  }
  const timeout = new Promise<void>((resolve) =>
    setTimeout(resolve, options.replyTimeoutMs ?? 60_000).unref(),
  );
  await Promise.race([Promise.all(pending), timeout]);
  const finishedAt =
    replies.length === count ? Math.max(...replies.map((r) => r.repliedAt)) : performance.now();
  // Everything a lead causes (the CRM sync, the timeline) counts, not only what precedes the reply.
  await runtime.drain(120_000);
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);

  const bySend = [...replies].sort((a, b) => a.sentAt - b.sentAt);
  const latencies = bySend.map((r) => r.repliedAt - r.sentAt);
  const third = Math.max(1, Math.floor(latencies.length / 3));
  const elapsedSeconds = (finishedAt - startedAt) / 1000;
  const keptUp =
    replies.length === count &&
    (rate === undefined || replies.length / elapsedSeconds >= 0.85 * rate) &&
    median(latencies.slice(-third)) <= 1.5 * median(latencies.slice(0, third)) + 50;
  // A batching window keeps messages waiting on purpose: what counts is the wait beyond it.
  const lateness = (name: string, stage: StageBacklog) =>
    stage.maxAgeMs - 1000 * subscriberNamed(name).maxBatchingWindowSeconds;
  const slowestStage =
    Object.entries(backlog).sort(([a, x], [b, y]) => lateness(b, y) - lateness(a, x))[0]?.[0] ?? 'none';
  return {
    label: options.label,
    offeredRate: rate,
    leads: count,
    replied: replies.length,
    webhook: summarize(webhookMs),
    reply: summarize(latencies),
    completedPerSecond: replies.length / elapsedSeconds,
    elapsedSeconds,
    keptUp,
    backlog,
    slowestStage,
    cpuMsPerLead: (cpu.user + cpu.system) / 1000 / count,
    invocations: counter.take(),
  };
};
