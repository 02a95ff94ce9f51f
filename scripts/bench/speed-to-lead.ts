/**
 * `npm run bench`: how fast Leadline answers a lead, locally and (predicted) in the cloud, and what
 * a lead costs. One run, on a local runtime of its own (a temporary data folder, a free port,
 * sandbox providers, the rules qualifier):
 * 1. steady rates (default 5, 10, 20, 30, 50 leads/s) and a burst: reply latency, webhook answer
 *    time, throughput, the stage that falls behind, CPU per lead;
 * 2. AWS calls per lead per function (`aws-calls.ts`), at the lowest rate;
 * 3. every function's bundle and cold-start proxy (`cold-start.ts`);
 * 4. AWS cost per 1,000 leads (`cost.ts`) and the cloud model (`cloud-model.ts`).
 * Prints one table and writes the same figures as JSON to `.bench/results/` (git-ignored).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { dynamoClient, eventBridgeClient, s3Client } from '#shared/adapters/aws/clients.ts';
import { REPO_ROOT } from '../../infra/bundling.ts';
import { parseCli, UsageError, withUsage } from '../lib/cli.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { AwsCallCounter } from './aws-calls.ts';
import { pathInputs, predict, readCloudFigures, scenarios } from './cloud-model.ts';
import { measureColdStarts } from './cold-start.ts';
import { estimateCost, readAwsPrices } from './cost.ts';
import { LeadNumbers, type LoadResult, ReplyWatch, runLoad } from './load.ts';
import { profilePipeline } from './profile.ts';
import { profiled, selfTimeByOrigin } from './profiler.ts';
import { type BenchResult, evaluateTargets, formatTable } from './report.ts';
import { summarize } from './stats.ts';

const BENCH_CLI = {
  command: 'npm run bench --',
  usage: `[--rates 5,10,20,30,50] [--seconds 8] [--burst 200] [--cloud-model] [--profile]
Speed to lead on a local runtime of its own (sandbox providers): reply latency at steady rates and
in a burst, throughput and the stage that falls behind, AWS calls per lead, each function's bundle
and cold-start proxy, AWS cost per 1,000 leads, and the cloud model's predicted speed-to-lead.
--cloud-model also prints the model's inputs, each hop's share and every figure's source
(scripts/bench/data/cloud-latency.json). --profile writes CPU profiles (node --cpu-prof's format)
of the highest steady rate and of every cold start to .bench/profiles/ and prints where the local
runtime's time went. Writes the figures as JSON to .bench/results/.`,
  options: {
    rates: { type: 'string', default: '5,10,20,30,50' },
    seconds: { type: 'string', default: '8' },
    burst: { type: 'string', default: '200' },
    'cloud-model': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
} as const;
const { values } = parseCli(BENCH_CLI);
const settings = withUsage(BENCH_CLI, () => {
  const rates = values.rates.split(',').map((r) => z.coerce.number().positive().max(500).safeParse(r));
  if (rates.some((r) => !r.success)) throw new UsageError('--rates: expected leads per second, e.g. 5,10,20');
  const seconds = z.coerce.number().min(1).max(120).safeParse(values.seconds);
  if (!seconds.success) throw new UsageError('--seconds: expected seconds per rate, from 1 to 120');
  const burst = z.coerce.number().int().min(10).max(2000).safeParse(values.burst);
  if (!burst.success) throw new UsageError('--burst: expected a number of leads from 10 to 2000');
  return {
    rates: rates.map((r) => r.data!).sort((a, b) => a - b),
    seconds: seconds.data,
    burst: burst.data,
  };
});

const strip = ({ invocations: _invocations, ...rest }: LoadResult) => rest;
const startedAt = new Date().toISOString();
const profileDir = values.profile
  ? join(REPO_ROOT, '.bench', 'profiles', startedAt.replaceAll(':', '-'))
  : undefined;
if (profileDir) await mkdir(profileDir, { recursive: true });
let localProfile: BenchResult['localProfile'];
const figures = readCloudFigures();
const prices = readAwsPrices();
const log = (line: string) => process.stderr.write(`${line}\n`);

const counter = new AwsCallCounter();
const watch = new ReplyWatch();
counter.onSandboxWrite = watch.observe;
// The runtime's queues and DynamoDB stand-in keep their data in a temporary folder: in memory
// (tmpfs) where the machine has one, since the local disk's speed is no part of the pipeline's.
const dataDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'leadline-bench-'));
const runtime = await startLocalRuntime({
  port: 0,
  dataDir,
  aroundInvocation: counter.around,
  // The scheduled function runs once at start, then not during the measurements.
  scheduleIntervalSeconds: 24 * 3600,
});
let steady: LoadResult[];
let burst: LoadResult;
try {
  for (const client of [dynamoClient(), eventBridgeClient(), s3Client()]) counter.instrument(client);
  const numbers = new LeadNumbers();
  log('warming up…');
  await runLoad({ label: 'warm-up', runtime, counter, watch, numbers, count: 10, rate: 5 });
  steady = [];
  for (const rate of settings.rates) {
    log(`${rate} leads/s for ${settings.seconds} s…`);
    const load = () =>
      runLoad({
        label: `${rate} leads/s`,
        runtime,
        counter,
        watch,
        numbers,
        count: Math.max(10, Math.round(rate * settings.seconds)),
        rate,
      });
    if (profileDir && rate === settings.rates.at(-1)) {
      const file = join(profileDir, `local-${rate}-leads-per-second.cpuprofile`);
      const { result, profile } = await profiled(file, load);
      localProfile = { file, rate, byOrigin: selfTimeByOrigin(profile).slice(0, 15) };
      steady.push(result);
    } else {
      steady.push(await load());
    }
  }
  log(`burst of ${settings.burst}…`);
  burst = await runLoad({
    label: `burst of ${settings.burst}`,
    runtime,
    counter,
    watch,
    numbers,
    count: settings.burst,
    rate: undefined,
  });
} finally {
  await runtime.close();
  await rm(dataDir, { recursive: true, force: true });
}

log('cold starts…');
const coldStarts = await measureColdStarts({
  ...(profileDir && { profileDir: join(profileDir, 'cold-starts') }),
});
const lowest = steady[0]!;
const profile = profilePipeline(lowest.invocations, lowest.leads);
const path = pathInputs(figures, profile, coldStarts);
const partial: Omit<BenchResult, 'targets'> = {
  version: 1,
  startedAt,
  machine: {
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    cpus: availableParallelism(),
    loadAverage: loadavg(),
  },
  settings,
  local: { steady: steady.map(strip), burst: strip(burst) },
  ...(localProfile && { localProfile }),
  webhookHandler: summarize(
    lowest.invocations.filter((i) => i.functionName === 'inbound-sms').map((i) => i.wallMs),
  ),
  profile,
  coldStarts,
  cost: estimateCost({ prices, figures, profile, coldStarts }),
  cloud: {
    asOf: figures.asOf,
    path,
    predictions: scenarios(figures).map((scenario) => predict(figures, path, scenario)),
  },
};
const result: BenchResult = { ...partial, targets: evaluateTargets(partial) };

const resultsDir = join(REPO_ROOT, '.bench', 'results');
await mkdir(resultsDir, { recursive: true });
const file = join(resultsDir, `${startedAt.replaceAll(':', '-')}.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(formatTable(result, figures, values['cloud-model']));
console.log(`\nfigures as JSON: ${file}`);
