/**
 * `npm run bench`: how long a signed SMS takes to get its reply on the local runtime.
 * Sends N leads one after another (default 100), each from its own number, and measures from the
 * moment the webhook is posted to the moment the reply is recorded as sent (`Reply Sent` on the
 * bus). Prints the webhook's own answer time too, and the process's memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { leadIdForContact } from '#shared/domain/contact.ts';
import { parseCli, UsageError, withUsage } from '../lib/cli.ts';
import { signedSmsRequest } from '../lib/webhook-requests.ts';
import { DEV_DEFAULTS, startLocalRuntime } from '../local/runtime.ts';

const BENCH_CLI = {
  command: 'npm run bench --',
  usage: `[--count 100]
Speed to lead on a local runtime of its own (a temporary data folder, a free port, sandbox
providers): --count signed SMS from different numbers, one after another; prints the median, p95
and worst time from the webhook to the reply sent.`,
  options: { count: { type: 'string', default: '100' }, help: { type: 'boolean', short: 'h' } },
} as const;
const { values } = parseCli(BENCH_CLI);
const count = withUsage(BENCH_CLI, () => {
  const parsed = z.coerce.number().int().min(1).max(10_000).safeParse(values.count);
  if (!parsed.success) throw new UsageError(`--count: expected a whole number from 1 to 10000`);
  return parsed.data;
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const summary = (label: string, samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  console.log(
    `${label.padEnd(28)} median ${percentile(sorted, 50).toFixed(1)} ms   p95 ${percentile(sorted, 95).toFixed(1)} ms   worst ${sorted.at(-1)?.toFixed(1)} ms   mean ${mean.toFixed(1)} ms   (n=${sorted.length})`,
  );
};

const dataDir = await mkdtemp(join(tmpdir(), 'leadline-bench-'));
const waiting = new Map<string, (at: number) => void>();
const runtime = await startLocalRuntime({
  port: 0,
  dataDir,
  trace: (line) => {
    const match = /^event {2}Reply Sent \(lead (\S+)\)/.exec(line);
    if (match?.[1]) waiting.get(match[1])?.(performance.now());
  },
});

const messages = [
  "Hi, this is Sam. My kitchen sink is clogged and water won't drain. I'm in Austin, can someone come today?",
  'Do you install tankless water heaters? Looking to replace ours next month in Round Rock.',
  'How much for a bathroom remodel? Just getting quotes for now.',
  'Leaking pipe under the bathroom sink, dripping all night. Pflugerville. How soon can you come?',
];

const webhookMs: number[] = [];
const replyMs: number[] = [];
const url = `${runtime.url}/webhooks/twilio/sms`;
const startedAt = performance.now();
for (let i = 0; i < count; i++) {
  const from = `+1512555${String(2000 + i).padStart(4, '0')}`;
  const request = signedSmsRequest({
    publicUrl: url,
    authToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
    from,
    to: '+15125550100',
    body: messages[i % messages.length]!,
  });
  const replied = new Promise<number>((done) => waiting.set(leadIdForContact(from), done));
  const t0 = performance.now();
  const response = await fetch(request.url, request.init);
  await response.text();
  webhookMs.push(performance.now() - t0);
  if (response.status !== 200) throw new Error(`Webhook answered ${response.status}`);
  const timeout = new Promise<never>((_, fail) =>
    setTimeout(() => fail(new Error(`No reply for ${from}`)), 30_000),
  );
  replyMs.push((await Promise.race([replied, timeout])) - t0);
  await runtime.drain(30_000);
}
const totalMs = performance.now() - startedAt;

console.log(
  `\nLeadline speed-to-lead on the local runtime (${count} leads, one at a time, sandbox providers, rules qualifier)`,
);
console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`);
summary('webhook answer (TwiML)', webhookMs);
summary('SMS in → reply sent', replyMs);
const memory = process.memoryUsage();
console.log(
  `\nwhole run ${(totalMs / 1000).toFixed(1)} s, ${(count / (totalMs / 1000)).toFixed(1)} leads/s end to end (each lead drained before the next)`,
);
console.log(
  `memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);

await runtime.close();
await rm(dataDir, { recursive: true, force: true });
