import { CHECKS, type CheckName } from './reconcile.ts';
import type { SoakResult } from './run-soak.ts';

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** The counts as a table, one row per check, with up to `examples` findings under each failing row. */
export const countsTable = (result: Pick<SoakResult, 'reconciliation'>, examples = 3): string[] => {
  const { counts, findings } = result.reconciliation;
  const width = Math.max(...Object.values(CHECKS).map((label) => label.length));
  const lines = [`${'check'.padEnd(width)}  count`, `${'-'.repeat(width)}  -----`];
  for (const [check, label] of Object.entries(CHECKS) as Array<[CheckName, string]>) {
    const count = counts[check];
    lines.push(`${label.padEnd(width)}  ${String(count).padStart(5)}${count > 0 ? '  ✗' : ''}`);
    for (const finding of findings[check].slice(0, examples)) lines.push(`    ${finding}`);
    if (findings[check].length > examples) lines.push(`    … ${findings[check].length - examples} more`);
  }
  return lines;
};

/** What `npm run soak` prints at the end: parameters, durations, deliveries, the table, where the files are. */
export const summaryLines = (result: SoakResult): string[] => {
  const { options, plan, durations, deliveries, reconciliation } = result;
  const kill = plan.kill
    ? `SIGKILL after request ${plan.kill.afterDelivery} (+${plan.kill.delayMs} ms)`
    : 'no kill';
  return [
    '',
    `Leadline soak, seed ${plan.seed}: ${plan.deliveries} requests (${plan.messages} messages from ${plan.contacts} contacts, ` +
      `${plan.repeats} repeats, ${plan.forged} forged, ${plan.bursts} bursts, ${plan.stops} STOPs), ` +
      `${options.concurrency} threads, ${kill}, visibility timeout ${options.visibilityTimeoutSeconds} s`,
    `durations: start ${seconds(durations.start)}, send ${seconds(durations.send)} (downtime ${seconds(durations.downtime)}), ` +
      `retries ${seconds(durations.retry)}, until quiet ${seconds(durations.quiet)}, ` +
      `clock ${seconds(durations.clock)} (downtime ${seconds(durations.clockDowntime)}), reconcile ${seconds(durations.reconcile)}, ` +
      `total ${seconds(durations.total)}`,
    `requests: ${Object.entries(deliveries)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `seen: ${Object.entries(reconciliation.stats)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
    ...countsTable(result),
    '',
    ...(reconciliation.warnings.length > 0
      ? [
          `warnings (${reconciliation.warnings.length}):`,
          ...reconciliation.warnings.slice(0, 5).map((w) => `  ${w}`),
          '',
        ]
      : []),
    `results: ${result.files.results}`,
    `runtime log: ${result.files.log}${result.files.dataDir ? `\ndata folder: ${result.files.dataDir}` : ''}`,
    result.ok ? 'OK: every count is 0' : 'FAILED: some counts are above 0',
  ];
};
