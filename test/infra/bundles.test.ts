import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BundledCrm,
  type BundleReport,
  bundleAll,
  bundledFunctions,
  ESM_REQUIRE_BANNER,
  esbuildOptionsFor,
} from '../../infra/bundling.ts';

describe('the function bundles (as the stack builds them)', () => {
  let outdir: string;
  let reports: BundleReport[];
  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'leadline-bundles-'));
    reports = await bundleAll(outdir);
  });
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('bundles every function (the topology and the console API) into an ESM file that exports its handler', async () => {
    expect(reports.map((r) => r.name).sort()).toEqual(
      bundledFunctions()
        .map((f) => f.name)
        .sort(),
    );
    for (const { name } of reports) {
      const code = await readFile(join(outdir, name, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER), name).toBe(true);
      expect(code, name).toMatch(/export\s*\{[^}]*\bas handler\b|export\s*\{[^}]*\bhandler\b/);
      // The AWS SDK is bundled (one file loads faster than the runtime's copy), and no source map
      // is referenced (Node.js would parse it on the first stack trace).
      expect(code, name).not.toMatch(/from\s*"@aws-sdk\//);
      expect(code, name).not.toMatch(/sourceMappingURL/);
    }
  });

  it('keeps every webhook bundle under its budget', () => {
    for (const report of reports.filter((r) => r.kind === 'webhook')) {
      expect(report.bytes, report.name).toBeLessThanOrEqual(report.budget!);
    }
  });

  it('bundles only the CRM leadline:crm names into crm-sync, and both for auto', async () => {
    const { build } = await import('esbuild');
    const packagesIn = async (crm: BundledCrm) => {
      const result = await build({
        ...esbuildOptionsFor('crm-sync', join(outdir, `crm-${crm}`), crm),
        sourcemap: false,
        minify: false,
        write: false,
      });
      const inputs = Object.values(result.metafile!.outputs).flatMap((output) =>
        Object.entries(output.inputs).flatMap(([path, { bytesInOutput }]) =>
          bytesInOutput > 0 ? [path] : [],
        ),
      );
      return {
        jsforce: inputs.some((path) => path.includes('node_modules/jsforce/')),
        hubspot: inputs.some((path) => path.includes('node_modules/@hubspot/api-client/')),
      };
    };
    expect(await packagesIn('auto')).toEqual({ jsforce: true, hubspot: true });
    expect(await packagesIn('salesforce')).toEqual({ jsforce: true, hubspot: false });
    expect(await packagesIn('hubspot')).toEqual({ jsforce: false, hubspot: true });
    expect(await packagesIn('sandbox')).toEqual({ jsforce: false, hubspot: false });
  });
});
