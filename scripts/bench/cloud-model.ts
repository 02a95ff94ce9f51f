/**
 * A prediction of the cloud speed-to-lead (Twilio's webhook reaching API Gateway → the reply
 * handed to Twilio, answered 201) from what the local benchmark measured and from each AWS hop's
 * published or estimated latency (`data/cloud-latency.json`, the one place those figures live,
 * each with its source). Monte Carlo: every sample draws every hop of the reply path.
 *
 * Per function on the path, its time up to the moment the next hop can start (its event published,
 * or for the last one the reply handed to Twilio) is: its own compute measured locally, stretched
 * by Lambda's CPU share at the function's memory; plus one draw of the cloud latency for each
 * round trip it made locally (DynamoDB, PutEvents, the provider); plus, when cold, Lambda's own
 * cold start and our import and first-invocation overhead (the cold-start proxy), stretched the
 * same way; plus the LLM where it is called.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { subscribers, webhooks } from '#shared/pipeline.ts';
import { SeededRandom } from '../soak/random.ts';
import type { ColdStart } from './cold-start.ts';
import type { PipelineProfile, Timing } from './profile.ts';
import { median, percentile } from './stats.ts';

const Hop = z.object({
  p50: z.number().positive(),
  p99: z.number().positive(),
  kind: z.enum(['published', 'estimate']),
  what: z.string(),
  source: z.string(),
});
const CloudFigures = z.object({
  asOf: z.string(),
  note: z.string(),
  hops: z.object({
    apiGateway: Hop,
    dynamodb: Hop,
    putEvents: Hop,
    eventBridgeToSqs: Hop,
    sqsToLambda: Hop,
    lambdaColdStartPlatform: Hop,
    twilioCreateMessage: Hop,
  }),
  llm: z.object({ ms: z.number().nonnegative(), what: z.string() }),
  cpu: z.object({
    mbPerVcpu: z.number().positive(),
    source: z.string(),
    localCoreToLambdaVcpu: z.number().positive(),
    localCoreToLambdaVcpuSource: z.string(),
  }),
  replyPath: z.array(z.string()).min(1),
  samples: z.number().int().min(1000),
  seed: z.number().int(),
});
export type CloudFigures = z.infer<typeof CloudFigures>;
type HopName = keyof CloudFigures['hops'];

/** The figures, read and checked (`scripts/bench/data/cloud-latency.json`). */
export const readCloudFigures = (): CloudFigures =>
  CloudFigures.parse(
    JSON.parse(readFileSync(join(import.meta.dirname, 'data', 'cloud-latency.json'), 'utf8')),
  );

/** What a scenario changes from the deployment as configured. */
export interface Scenario {
  name: string;
  /** Memory (MB) per function on the path, overriding the topology's. */
  memoryMb?: Record<string, number>;
  /** Functions kept warm (provisioned concurrency): never cold, even for sparse traffic. */
  provisioned?: readonly string[];
  /** Functions whose LLM call is off the path (e.g. the first reply from the template). */
  noLlm?: readonly string[];
}

export interface Prediction {
  p50: number;
  p95: number;
  p99: number;
  /** Mean milliseconds per kind of hop, largest first: what dominates. */
  shares: Array<{ hop: string; meanMs: number; share: number }>;
}

export interface ScenarioPrediction {
  scenario: string;
  warm: Prediction;
  warmLlm: Prediction;
  sparse: Prediction;
  sparseLlm: Prediction;
}

/** Functions that call the LLM on the reply path: the qualifier, and the drafted reply. */
const LLM_FUNCTIONS = new Set(['qualify', 'auto-respond']);

const configuredMemory = (name: string): number =>
  [...webhooks, ...subscribers].find((f) => f.name === name)?.memoryMb ?? 512;

class Sampler {
  private readonly random: SeededRandom;
  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }
  /** Uniform in (0, 1). */
  uniform(): number {
    return this.random.int(1, 2 ** 31 - 1) / 2 ** 31;
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }
  /** A log-normal draw with the hop's median and 99th percentile. */
  hop(hop: { p50: number; p99: number }): number {
    const sigma = Math.log(hop.p99 / hop.p50) / 2.3263;
    return hop.p50 * Math.exp(sigma * this.normal());
  }
}

/** The inputs the model needs from the local measurements, per function on the path. */
export interface PathInputs {
  name: string;
  /** Up to the moment the next hop starts (its event published, or the reply handed over). */
  timing: Timing;
  /** Cold-start proxy minus the warm invocation: what a cold environment adds before the same work, ms (local). */
  coldExtraMs: number;
}

/** The path's inputs from a profile (measured at a low rate) and the cold starts. */
export const pathInputs = (
  figures: CloudFigures,
  profile: PipelineProfile,
  coldStarts: readonly ColdStart[],
): PathInputs[] =>
  figures.replyPath.map((name, index) => {
    const fn = profile.functions.find((f) => f.name === name);
    if (!fn) throw new Error(`The benchmark saw no invocation of ${name}, which is on the reply path`);
    const last = index === figures.replyPath.length - 1;
    const timing = (last ? fn.untilProvider : fn.untilPublished) ?? fn.whole;
    const cold = coldStarts.find((c) => c.name === name);
    const proxy = cold ? median(cold.importMs) + median(cold.firstInvokeMs) : 0;
    return { name, timing, coldExtraMs: Math.max(0, proxy - fn.whole.wallMs) };
  });

/** Predicted speed-to-lead for a scenario, warm and sparse, with and without the LLM. */
export const predict = (
  figures: CloudFigures,
  path: readonly PathInputs[],
  scenario: Scenario,
): ScenarioPrediction => {
  const run = (cold: boolean, llm: boolean): Prediction => {
    const sampler = new Sampler(figures.seed);
    const totals: number[] = [];
    const byHop = new Map<string, number>();
    const add = (hop: string, value: number) => {
      byHop.set(hop, (byHop.get(hop) ?? 0) + value);
      return value;
    };
    const draw = (name: HopName, label: string) => add(label, sampler.hop(figures.hops[name]));
    for (let s = 0; s < figures.samples; s++) {
      let total = draw('apiGateway', 'API Gateway');
      for (const [index, fn] of path.entries()) {
        if (index > 0) {
          total += draw('eventBridgeToSqs', 'EventBridge → SQS');
          total += draw('sqsToLambda', 'SQS → Lambda poll');
        }
        const memory = scenario.memoryMb?.[fn.name] ?? configuredMemory(fn.name);
        const stretch = Math.max(1, figures.cpu.mbPerVcpu / memory) * figures.cpu.localCoreToLambdaVcpu;
        if (cold && !scenario.provisioned?.includes(fn.name)) {
          total += draw('lambdaColdStartPlatform', 'Lambda cold start (platform)');
          total += add('cold start (our import, first invocation)', fn.coldExtraMs * stretch);
        }
        total += add('function compute', fn.timing.computeMs * stretch);
        for (let r = 0; r < fn.timing.rounds.dynamodb; r++) total += draw('dynamodb', 'DynamoDB round trips');
        for (let r = 0; r < fn.timing.rounds.eventbridge; r++) total += draw('putEvents', 'PutEvents calls');
        for (let r = 0; r < fn.timing.rounds.provider; r++)
          total += draw('twilioCreateMessage', 'Twilio API');
        if (llm && LLM_FUNCTIONS.has(fn.name) && !scenario.noLlm?.includes(fn.name)) {
          total += add('LLM', figures.llm.ms);
        }
      }
      totals.push(total);
    }
    totals.sort((a, b) => a - b);
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    return {
      p50: percentile(totals, 50),
      p95: percentile(totals, 95),
      p99: percentile(totals, 99),
      shares: [...byHop.entries()]
        .map(([hop, totalMs]) => ({
          hop,
          meanMs: totalMs / totals.length,
          share: totalMs / totals.length / mean,
        }))
        .sort((a, b) => b.meanMs - a.meanMs),
    };
  };
  return {
    scenario: scenario.name,
    warm: run(false, false),
    warmLlm: run(false, true),
    sparse: run(true, false),
    sparseLlm: run(true, true),
  };
};

/**
 * The deployment as configured, and what would move its speed-to-lead: the reply path at 512 MB
 * (as it was before it got a vCPU), provisioned concurrency on the first hops or the whole path,
 * and the first reply from the template while the LLM qualifies (no drafting call on the path).
 */
export const scenarios = (figures: CloudFigures): Scenario[] => {
  const at512 = Object.fromEntries(figures.replyPath.map((name) => [name, 512]));
  const memory = (name: string) => configuredMemory(name);
  return [
    { name: `as configured (${[...new Set(figures.replyPath.map(memory))].join('/')} MB on the path)` },
    { name: 'reply path at 512 MB (0.29 vCPU)', memoryMb: at512 },
    { name: 'provisioned concurrency: inbound-sms, qualify', provisioned: ['inbound-sms', 'qualify'] },
    { name: 'provisioned concurrency: whole reply path', provisioned: figures.replyPath },
    { name: 'first reply from the template (no drafting LLM)', noLlm: ['auto-respond'] },
    {
      name: 'template first reply + provisioned inbound-sms, qualify',
      noLlm: ['auto-respond'],
      provisioned: ['inbound-sms', 'qualify'],
    },
  ];
};
