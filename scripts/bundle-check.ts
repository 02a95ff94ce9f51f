/**
 * `npm run bundle-check`: bundles every function in the topology with esbuild, exactly as the CDK
 * stack does (`infra/bundling.ts`, with cdk.json's `leadline:crm`), prints each bundle's size, and
 * fails when a webhook's bundle is over its budget. Then crm-sync's size for each `leadline:crm`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providerChoices } from '#shared/config/providers.ts';
import { type BundledCrm, bundleAll, esbuildOptionsFor, REPO_ROOT } from '../infra/bundling.ts';
import { parseCli } from './lib/cli.ts';

parseCli({
  command: 'npm run bundle-check --',
  usage: `
Bundles every function of the topology as the stack does (esbuild, infra/bundling.ts, with
cdk.json's leadline:crm), prints each bundle's size, and fails when a webhook's bundle is over its
budget; then crm-sync's size for each leadline:crm (a named CRM is the only one bundled).`,
  options: { help: { type: 'boolean', short: 'h' } },
});

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const context = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;
const configuredCrm = (context['leadline:crm'] ?? 'auto') as BundledCrm;

const outdir = await mkdtemp(join(tmpdir(), 'leadline-bundles-'));
try {
  console.log(`leadline:crm ${configuredCrm}\n`);
  const reports = await bundleAll(outdir, configuredCrm);
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

  const { build } = await import('esbuild');
  const crms: BundledCrm[] = [
    'auto',
    'sandbox',
    ...(Object.keys(providerChoices.CRM_PROVIDER) as BundledCrm[]),
  ];
  const sizes = await Promise.all(
    crms.map(async (crm) => {
      const result = await build(esbuildOptionsFor('crm-sync', join(outdir, `crm-sync-${crm}`), crm));
      const [, output] = Object.entries(result.metafile!.outputs).find(([path]) => path.endsWith('.mjs'))!;
      return `${crm} ${kib(output.bytes)}`;
    }),
  );
  console.log(`\ncrm-sync by leadline:crm: ${sizes.join(' · ')}`);

  if (over > 0) {
    console.error(`\n${over} webhook bundle(s) over budget: look for a heavy import on the webhook path.`);
    process.exitCode = 1;
  }
} finally {
  await rm(outdir, { recursive: true, force: true });
}
