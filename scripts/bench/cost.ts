/**
 * AWS cost per 1,000 leads from what the benchmark counted per lead, at the dated list prices of
 * `data/aws-prices.json` (each with its source). Lambda's duration per invocation is the cloud
 * model's (`cloud-model.ts`): the function's own compute at its memory's CPU share plus the mean
 * latency of each round trip it made; "all cold" adds a cold start to every invocation (Lambda
 * bills the INIT phase since 2025-08-01).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { subscribers, webhooks } from '#shared/pipeline.ts';
import type { CloudFigures } from './cloud-model.ts';
import type { ColdStart } from './cold-start.ts';
import type { PipelineProfile } from './profile.ts';
import { median } from './stats.ts';

const Price = z.object({
  usd: z.number().nonnegative(),
  per: z.number().positive(),
  unit: z.string(),
  source: z.string(),
});
const AwsPrices = z.object({
  region: z.string(),
  asOf: z.string(),
  note: z.string(),
  prices: z.object({
    apiGatewayHttpRequest: Price,
    lambdaRequest: Price,
    lambdaArmGbSecond: Price,
    dynamodbWriteRequestUnit: Price,
    dynamodbReadRequestUnit: Price,
    eventBridgeCustomEvent: Price,
    sqsStandardRequest: Price,
    xrayTraceRecorded: Price,
  }),
  providers: z.object({
    note: z.string(),
    lines: z.array(z.object({ what: z.string(), usd: z.number(), per: z.number(), source: z.string() })),
  }),
});
export type AwsPrices = z.infer<typeof AwsPrices>;

export const readAwsPrices = (): AwsPrices =>
  AwsPrices.parse(JSON.parse(readFileSync(join(import.meta.dirname, 'data', 'aws-prices.json'), 'utf8')));

export interface CostLine {
  what: string;
  /** Units per 1,000 leads. */
  units: number;
  usd: number;
  usdAllCold?: number;
}

export interface CostEstimate {
  region: string;
  pricesAsOf: string;
  lines: CostLine[];
  totalUsd: number;
  totalUsdAllCold: number;
}

/** Mean of a log-normal hop given by its median and 99th percentile. */
const meanOf = (hop: { p50: number; p99: number }) => {
  const sigma = Math.log(hop.p99 / hop.p50) / 2.3263;
  return hop.p50 * Math.exp((sigma * sigma) / 2);
};

const memoryOf = (name: string) =>
  [...webhooks, ...subscribers].find((f) => f.name === name)?.memoryMb ?? 512;

export const estimateCost = (options: {
  prices: AwsPrices;
  figures: CloudFigures;
  profile: PipelineProfile;
  coldStarts: readonly ColdStart[];
}): CostEstimate => {
  const { prices, figures, profile } = options;
  const p = prices.prices;
  const price = (line: z.infer<typeof Price>, units: number) => (units * line.usd) / line.per;
  const leads = 1000;
  const perLead = profile.perLead;

  let gbSeconds = 0;
  let gbSecondsCold = 0;
  for (const fn of profile.functions) {
    const memoryGb = memoryOf(fn.name) / 1024;
    const stretch =
      Math.max(1, figures.cpu.mbPerVcpu / memoryOf(fn.name)) * figures.cpu.localCoreToLambdaVcpu;
    const { rounds, computeMs } = fn.whole;
    const warmMs =
      computeMs * stretch +
      rounds.dynamodb * meanOf(figures.hops.dynamodb) +
      rounds.eventbridge * meanOf(figures.hops.putEvents) +
      rounds.provider * meanOf(figures.hops.twilioCreateMessage) +
      rounds.s3 * meanOf(figures.hops.dynamodb);
    const cold = options.coldStarts.find((c) => c.name === fn.name);
    // A function the bench only imported (no first invocation measured) counts its import alone.
    const firstInvokeMs = cold && cold.firstInvokeMs.length > 0 ? median(cold.firstInvokeMs) : 0;
    const coldExtraMs = cold
      ? Math.max(0, median(cold.importMs) + firstInvokeMs - fn.whole.wallMs) * stretch +
        meanOf(figures.hops.lambdaColdStartPlatform)
      : 0;
    gbSeconds += (fn.invocationsPerLead * leads * memoryGb * warmMs) / 1000;
    gbSecondsCold += (fn.invocationsPerLead * leads * memoryGb * (warmMs + coldExtraMs)) / 1000;
  }

  const lines: CostLine[] = [
    {
      what: 'API Gateway HTTP API requests',
      units: perLead.apiRequests * leads,
      usd: price(p.apiGatewayHttpRequest, perLead.apiRequests * leads),
    },
    {
      what: 'Lambda invocations',
      units: perLead.lambdaInvocations * leads,
      usd: price(p.lambdaRequest, perLead.lambdaInvocations * leads),
    },
    {
      what: 'Lambda duration (GB-s, arm64)',
      units: gbSeconds,
      usd: price(p.lambdaArmGbSecond, gbSeconds),
      usdAllCold: price(p.lambdaArmGbSecond, gbSecondsCold),
    },
    {
      what: 'DynamoDB write request units (index copies included)',
      units: (perLead.writeUnits + perLead.indexedWriteUnits) * leads,
      usd: price(p.dynamodbWriteRequestUnit, (perLead.writeUnits + perLead.indexedWriteUnits) * leads),
    },
    {
      what: 'DynamoDB read request units',
      units: perLead.readUnits * leads,
      usd: price(p.dynamodbReadRequestUnit, perLead.readUnits * leads),
    },
    {
      what: 'EventBridge events published',
      units: perLead.events * leads,
      usd: price(p.eventBridgeCustomEvent, perLead.events * leads),
    },
    {
      what: 'SQS requests (send, receive, delete)',
      units: perLead.sqsRequests * leads,
      usd: price(p.sqsStandardRequest, perLead.sqsRequests * leads),
    },
    {
      // Past the sampling reservoir (1 a second) X-Ray records 5%: this is the low-traffic worst case.
      what: 'X-Ray traces (every invocation traced: below 1 a second)',
      units: perLead.lambdaInvocations * leads,
      usd: price(p.xrayTraceRecorded, perLead.lambdaInvocations * leads),
    },
  ];
  const totalUsd = lines.reduce((sum, line) => sum + line.usd, 0);
  const totalUsdAllCold = lines.reduce((sum, line) => sum + (line.usdAllCold ?? line.usd), 0);
  return { region: prices.region, pricesAsOf: prices.asOf, lines, totalUsd, totalUsdAllCold };
};
