/**
 * `npm run bundle-check`: bundles every function in the topology with esbuild, exactly as the CDK
 * stack does (`infra/bundling.ts`), prints each bundle's size, and fails when a webhook's bundle
 * is over its budget.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleAll } from '../infra/bundling.ts';
import { parseCli } from './lib/cli.ts';

parseCli({
  command: 'npm run bundle-check --',
  usage: `
Bundles every function of the topology as the stack does (esbuild, infra/bundling.ts), prints each
bundle's size, and fails when a webhook's bundle is over its budget.`,
  options: { help: { type: 'boolean', short: 'h' } },
});

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const outdir = await mkdtemp(join(tmpdir(), 'leadline-bundles-'));
try {
  const reports = await bundleAll(outdir);
  const width = Math.max(...reports.map((r) => r.name.length));
  let over = 0;
  for (const report of reports) {
    const verdict =
      report.budget === undefined
        ? ''
        : report.bytes > report.budget
          ? `  OVER the ${kib(report.budget)} budget`
          : `  (budget ${kib(report.budget)})`;
    if (report.budget !== undefined && report.bytes > report.budget) over++;
    console.log(
      `${report.name.padEnd(width)}  ${report.kind.padEnd(10)}  ${kib(report.bytes).padStart(9)}${verdict}`,
    );
  }
  if (over > 0) {
    console.error(`\n${over} webhook bundle(s) over budget: look for a heavy import on the webhook path.`);
    process.exitCode = 1;
  }
} finally {
  await rm(outdir, { recursive: true, force: true });
}
