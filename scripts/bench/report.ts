/** The benchmark's one table (text) and its JSON twin. */
import type { CloudFigures, PathInputs, ScenarioPrediction } from './cloud-model.ts';
import type { ColdStart } from './cold-start.ts';
import type { CostEstimate } from './cost.ts';
import type { LoadResult } from './load.ts';
import type { PipelineProfile } from './profile.ts';
import { median, ms, type Summary } from './stats.ts';

export interface BenchResult {
  version: 1;
  startedAt: string;
  machine: { node: string; platform: string; cpus: number; loadAverage: number[] };
  settings: { rates: number[]; seconds: number; burst: number };
  local: { steady: Omit<LoadResult, 'invocations'>[]; burst: Omit<LoadResult, 'invocations'> };
  /** With `--profile`: where the local runtime's main thread spent the highest steady rate. */
  localProfile?: {
    file: string;
    rate: number;
    byOrigin: Array<{ origin: string; ms: number; share: number }>;
  };
  /** The webhook function's own time per request at the lowest rate (handler, not HTTP). */
  webhookHandler: Summary;
  /** Calls and timings per lead, at the lowest rate. */
  profile: PipelineProfile;
  coldStarts: ColdStart[];
  cost: CostEstimate;
  cloud: { asOf: string; path: PathInputs[]; predictions: ScenarioPrediction[] };
  targets: Array<{ target: string; measured: string; met: boolean }>;
}

const pad = (text: string, width: number) => text.padEnd(width);
const num = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const triple = (s: { p50: number; p95: number; p99: number }) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;
const seconds = (s: { p50: number; p95: number; p99: number }) =>
  `${(s.p50 / 1000).toFixed(2)} / ${(s.p95 / 1000).toFixed(2)} / ${(s.p99 / 1000).toFixed(2)} s`;

/** The cold-start proxy of a function: import + first invocation, median of its fresh processes. */
export const coldProxyMs = (c: ColdStart) => median(c.importMs) + median(c.firstInvokeMs);

/** Where each target of issue 13 stands in this run. */
export const evaluateTargets = (result: Omit<BenchResult, 'targets'>): BenchResult['targets'] => {
  const lowest = result.local.steady[0];
  const keptUp = result.local.steady.filter((r) => r.keptUp).map((r) => r.offeredRate ?? 0);
  const webhookCold = result.coldStarts.filter((c) => c.kind === 'webhook');
  const consumerCold = result.coldStarts.filter((c) => c.kind === 'subscriber');
  const worst = (list: ColdStart[]) =>
    list.reduce((top, c) => (coldProxyMs(c) > coldProxyMs(top) ? c : top), list[0]!);
  const worstWebhook = worst(webhookCold);
  const worstConsumer = worst(consumerCold);
  const sustained = Math.max(0, ...keptUp);
  return [
    {
      target: `local reply p99 ≤ 50 ms at ${lowest?.offeredRate ?? '?'} leads/s`,
      measured: `${ms(lowest?.reply.p99)} ms`,
      met: (lowest?.reply.p99 ?? Number.POSITIVE_INFINITY) <= 50,
    },
    {
      target: '≥ 30 leads/s sustained before replies queue',
      measured: `kept up to ${sustained} leads/s offered; burst completed ${num(result.local.burst.completedPerSecond)} leads/s`,
      met: sustained >= 30 && result.local.burst.completedPerSecond >= 30,
    },
    {
      target: 'cold-start proxy < 200 ms, webhooks',
      measured: `worst ${worstWebhook.name} ${ms(coldProxyMs(worstWebhook))} ms`,
      met: webhookCold.every((c) => coldProxyMs(c) < 200),
    },
    {
      target: 'cold-start proxy < 350 ms, consumers',
      measured: `worst ${worstConsumer.name} ${ms(coldProxyMs(worstConsumer))} ms`,
      met: consumerCold.every((c) => coldProxyMs(c) < 350),
    },
    {
      target: 'DynamoDB calls per lead (halved: ≤ 26 against the issue’s 52)',
      measured: `${num(result.profile.perLead.dynamoCalls)}`,
      met: result.profile.perLead.dynamoCalls <= 26,
    },
  ];
};

export const formatTable = (result: BenchResult, figures: CloudFigures, detailedCloud: boolean): string => {
  const lines: string[] = [];
  const { machine } = result;
  lines.push(
    `Leadline benchmark, ${result.startedAt} — node ${machine.node}, ${machine.platform}, ${machine.cpus} cores, load ${machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}`,
  );
  lines.push('');
  lines.push(
    'LOCAL PIPELINE (npm start’s runtime, sandbox providers, rules qualifier; SMS posted → reply handed to the SMS sender)',
  );
  lines.push(
    `${pad('load', 22)}${pad('leads', 9)}${pad('reply p50 / p95 / p99 ms', 27)}${pad('webhook p50 / p99 ms', 22)}${pad('done/s', 8)}${pad('kept up', 9)}${pad('CPU/lead', 10)}slowest stage (oldest message)`,
  );
  for (const run of [...result.local.steady, result.local.burst]) {
    const slowest = run.backlog[run.slowestStage];
    lines.push(
      `${pad(run.label, 22)}${pad(`${run.replied}/${run.leads}`, 9)}${pad(triple(run.reply), 27)}${pad(`${ms(run.webhook.p50)} / ${ms(run.webhook.p99)}`, 22)}${pad(num(run.completedPerSecond), 8)}${pad(run.offeredRate === undefined ? '–' : run.keptUp ? 'yes' : 'no', 9)}${pad(`${ms(run.cpuMsPerLead)} ms`, 10)}${run.slowestStage} (${ms(slowest?.maxAgeMs)} ms, depth ${slowest?.maxDepth ?? 0})`,
    );
  }
  lines.push(
    `webhook handler (inbound-sms, in process) p50 / p99: ${ms(result.webhookHandler.p50, 1)} / ${ms(result.webhookHandler.p99, 1)} ms`,
  );
  if (result.localProfile) {
    lines.push(
      `profile at ${result.localProfile.rate} leads/s (self time on the main thread; ${result.localProfile.file}):`,
    );
    lines.push(
      `  ${result.localProfile.byOrigin
        .slice(0, 10)
        .map((o) => `${o.origin} ${(o.share * 100).toFixed(0)}%`)
        .join(', ')}`,
    );
  }

  lines.push('');
  lines.push(
    `CALLS PER LEAD (at ${result.local.steady[0]?.label ?? 'the lowest rate'}; sandbox provider records count as provider calls)`,
  );
  lines.push(
    `${pad('function', 15)}${pad('invocations', 13)}${pad('DynamoDB', 10)}${pad('reads', 7)}${pad('writes', 8)}${pad('idempotency', 13)}${pad('PutEvents', 11)}${pad('provider', 10)}${pad('compute ms', 12)}round trips (median invocation)`,
  );
  for (const fn of result.profile.functions) {
    const r = fn.whole.rounds;
    lines.push(
      `${pad(fn.name, 15)}${pad(num(fn.invocationsPerLead, 2), 13)}${pad(num(fn.dynamo.callsPerLead), 10)}${pad(num(fn.dynamo.readsPerLead), 7)}${pad(num(fn.dynamo.writesPerLead), 8)}${pad(num(fn.dynamo.idempotencyCallsPerLead), 13)}${pad(num(fn.putEventsCallsPerLead), 11)}${pad(num(fn.providerCallsPerLead), 10)}${pad(ms(fn.whole.computeMs, 1), 12)}DynamoDB ${r.dynamodb}, PutEvents ${r.eventbridge}, provider ${r.provider}`,
    );
  }
  const t = result.profile.perLead;
  lines.push(
    `${pad('total', 15)}${pad(num(t.lambdaInvocations, 2), 13)}${pad(num(t.dynamoCalls), 10)}${pad(num(t.dynamoReads), 7)}${pad(num(t.dynamoWrites), 8)}${pad(num(t.idempotencyCalls), 13)}${pad(num(t.putEventsCalls), 11)}${pad(num(t.providerCalls), 10)}`,
  );
  lines.push(
    `EventBridge events ${num(t.events)}, SQS requests ${num(t.sqsRequests)} (${num(t.sqsDeliveries)} deliveries), DynamoDB request units ${num(t.readUnits)} read, ${num(t.writeUnits)} write + ${num(t.indexedWriteUnits)} index`,
  );

  lines.push('');
  lines.push(
    'COLD START PROXY (bundle as deployed; import + first invocation in a fresh process, NODE_OPTIONS as deployed)',
  );
  lines.push(
    `${pad('function', 15)}${pad('kind', 12)}${pad('bundle', 10)}${pad('import ms', 11)}${pad('1st call ms', 13)}${pad('proxy ms', 10)}process ms`,
  );
  for (const c of result.coldStarts) {
    lines.push(
      `${pad(c.name, 15)}${pad(c.kind, 12)}${pad(`${(c.bundleBytes / 1024).toFixed(0)} KiB`, 10)}${pad(ms(median(c.importMs)), 11)}${pad(ms(median(c.firstInvokeMs)), 13)}${pad(ms(coldProxyMs(c)), 10)}${ms(median(c.processMs))}${c.failures.length > 0 ? `  (failed: ${c.failures[0]!.split('\n')[0]!.slice(0, 80)})` : ''}`,
    );
  }

  lines.push('');
  lines.push(
    `AWS COST PER 1,000 LEADS (${result.cost.region}, list prices as of ${result.cost.pricesAsOf}; provider fees apart)`,
  );
  for (const line of result.cost.lines) {
    lines.push(
      `${pad(line.what, 58)}${pad(num(line.units, 0), 10)}$${line.usd.toFixed(4)}${line.usdAllCold !== undefined ? `  (all cold $${line.usdAllCold.toFixed(4)})` : ''}`,
    );
  }
  lines.push(
    `${pad('total', 68)}$${result.cost.totalUsd.toFixed(3)} warm, $${result.cost.totalUsdAllCold.toFixed(3)} all cold`,
  );

  lines.push('');
  lines.push(
    `CLOUD MODEL (predicted speed-to-lead, API Gateway → reply accepted by Twilio; p50 / p95 / p99; ${figures.samples} samples; figures as of ${figures.asOf})`,
  );
  lines.push(
    `${pad('scenario', 58)}${pad('warm', 23)}${pad(`warm + LLM ${figures.llm.ms} ms`, 23)}${pad('sparse (cold)', 23)}sparse + LLM`,
  );
  for (const p of result.cloud.predictions) {
    lines.push(
      `${pad(p.scenario, 58)}${pad(seconds(p.warm), 23)}${pad(seconds(p.warmLlm), 23)}${pad(seconds(p.sparse), 23)}${seconds(p.sparseLlm)}`,
    );
  }
  const configured = result.cloud.predictions[0];
  if (configured) {
    const top = (label: string, shares: ScenarioPrediction['warm']['shares']) =>
      `${label}: ${shares
        .slice(0, 3)
        .map((s) => `${s.hop} ${(s.share * 100).toFixed(0)}%`)
        .join(', ')}`;
    lines.push(top('dominant hops, sparse + LLM', configured.sparseLlm.shares));
    lines.push(top('dominant hops, warm, no LLM', configured.warm.shares));
    const meets = result.cloud.predictions.filter((p) => p.sparseLlm.p95 <= 3000).map((p) => p.scenario);
    lines.push(
      `p95 ≤ 3 s with the LLM for sparse traffic: ${meets.length > 0 ? meets.join('; ') : 'no scenario above'}`,
    );
  }
  if (detailedCloud) {
    lines.push('');
    lines.push('the reply path as measured locally (until the next hop can start):');
    for (const fn of result.cloud.path) {
      lines.push(
        `  ${pad(fn.name, 14)}compute ${ms(fn.timing.computeMs, 1)} ms, round trips: DynamoDB ${fn.timing.rounds.dynamodb}, PutEvents ${fn.timing.rounds.eventbridge}, provider ${fn.timing.rounds.provider}; cold adds ${ms(fn.coldExtraMs)} ms (local)`,
      );
    }
    lines.push('mean share per hop (as configured, sparse + LLM):');
    for (const share of configured?.sparseLlm.shares ?? []) {
      lines.push(
        `  ${pad(share.hop, 44)}${pad(`${ms(share.meanMs)} ms`, 10)}${(share.share * 100).toFixed(0)}%`,
      );
    }
    lines.push('figures (scripts/bench/data/cloud-latency.json):');
    for (const [name, hop] of Object.entries(figures.hops)) {
      lines.push(`  ${pad(name, 24)}p50 ${hop.p50} ms, p99 ${hop.p99} ms (${hop.kind}): ${hop.source}`);
    }
    lines.push(`  cpu: ${figures.cpu.source}; ${figures.cpu.localCoreToLambdaVcpuSource}`);
  }

  lines.push('');
  lines.push('TARGETS (issue 13)');
  for (const target of result.targets) {
    lines.push(`  ${target.met ? 'met   ' : 'MISSED'}  ${pad(target.target, 60)}${target.measured}`);
  }
  return lines.join('\n');
};
