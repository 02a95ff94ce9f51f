import { join, resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';
import type { ProviderName } from '#shared/config/providers.ts';
import { scheduled, subscribers, webhooks } from '#shared/pipeline.ts';

/**
 * How every function is built: one definition, read by the `LeadlineFunction` construct (through
 * NodejsFunction's esbuild options) and by `npm run bundle-check` (esbuild directly), so the
 * sizes the check reports are the sizes Lambda gets.
 */

export const REPO_ROOT = resolve(import.meta.dirname, '..');

/** The Lambda Node.js major version; the construct picks the matching runtime, esbuild targets it. */
export const NODE_MAJOR = 24;

/**
 * An ESM bundle has no `require`; CommonJS dependencies bundled into it (busboy, some of the
 * provider SDKs) still call it for Node built-ins, so the bundle creates one first.
 * https://github.com/evanw/esbuild/issues/1921
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __leadlineCreateRequire } from 'node:module'; const require = __leadlineCreateRequire(import.meta.url);";

export const bundleOptions = {
  format: 'esm',
  /**
   * Whitespace and syntax minified, identifiers kept: a stack trace in the logs names our
   * functions without a source map. Node.js parses a bundle's source map the first time it formats
   * a stack trace (`--enable-source-maps`): for the large bundles 300–380 ms and about 200 MiB in
   * the invocation that logs its environment's first error (measured with `node --enable-source-maps`
   * on the qualify and crm-sync bundles), so no map is shipped or enabled.
   */
  minify: { whitespace: true, syntax: true, identifiers: false },
  sourcemap: false,
  target: `node${NODE_MAJOR}`,
  // ESM builds of dependencies first: smaller bundles and better tree shaking.
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  /**
   * Nothing is left to the runtime: the AWS SDK v3 clients a function uses are bundled with it,
   * tree-shaken and minified, instead of loaded from the copy Lambda's Node.js runtime ships. One
   * file loads several times faster than the SDK's hundreds of modules (`npm run bench`, cold-start
   * proxy), and the SDK's version is ours, not whatever the runtime carries that day. AWS
   * recommends bundling it: https://docs.aws.amazon.com/lambda/latest/dg/nodejs-package.html
   */
  externalModules: [] as string[],
} as const;

/** `NODE_OPTIONS` of every function: none (no `--enable-source-maps`: see `bundleOptions.minify`). */
export const LAMBDA_NODE_OPTIONS: string | undefined = undefined;

/** What `leadline:crm` can say: a CRM provider, or `auto` (every one bundled, chosen at run time). */
export type BundledCrm = 'auto' | ProviderName<'CRM_PROVIDER'>;

/**
 * esbuild `define`s for a deployment: with one CRM named, `process.env.LEADLINE_BUNDLED_CRM` becomes
 * that name and `shared/wiring/crm.ts` drops the other CRM's SDK from the bundle.
 */
export const bundleDefines = (crm: BundledCrm = 'auto'): Record<string, string> =>
  crm === 'auto' ? {} : { 'process.env.LEADLINE_BUNDLED_CRM': JSON.stringify(crm) };

export type FunctionKind = 'webhook' | 'subscriber' | 'scheduled' | 'api';

/** Every function in the topology, with its kind: what the bundle check and the tests iterate. */
export const topologyFunctions = (): { name: string; kind: FunctionKind }[] => [
  ...webhooks.map((w) => ({ name: w.name, kind: 'webhook' as const })),
  ...subscribers.map((s) => ({ name: s.name, kind: 'subscriber' as const })),
  ...scheduled.map((s) => ({ name: s.name, kind: 'scheduled' as const })),
];

/**
 * Every function the stack bundles: the topology's, and the console's read API
 * (`infra/constructs/console.ts`), which is no pipeline step and gets its grants there.
 */
export const bundledFunctions = (): { name: string; kind: FunctionKind }[] => [
  ...topologyFunctions(),
  { name: 'console-api', kind: 'api' },
];

/** The handler file of a topology entry (`functions/<name>/handler.ts`, exporting `handler`). */
export const handlerEntry = (name: string) => join(REPO_ROOT, 'functions', name, 'handler.ts');

/** The same build as the stack's, for esbuild's own API (the bundle check). */
export const esbuildOptionsFor = (name: string, outdir: string, crm: BundledCrm = 'auto'): BuildOptions => ({
  entryPoints: { index: handlerEntry(name) },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: bundleOptions.format,
  minifyWhitespace: bundleOptions.minify.whitespace,
  minifySyntax: bundleOptions.minify.syntax,
  minifyIdentifiers: bundleOptions.minify.identifiers,
  sourcemap: bundleOptions.sourcemap,
  target: bundleOptions.target,
  mainFields: [...bundleOptions.mainFields],
  banner: { js: bundleOptions.banner },
  external: [...bundleOptions.externalModules],
  define: bundleDefines(crm),
  absWorkingDir: REPO_ROOT,
  metafile: true,
  logLevel: 'silent',
});

/**
 * The most a webhook's bundle may weigh. Webhooks sit on the path of every lead: they only
 * authenticate, parse and publish, and weigh 0.95–1.4 MiB with the AWS SDK clients they use
 * bundled (DynamoDB, EventBridge, S3 for email: about half of it), Powertools, zod tree-shaken, the
 * multipart and MIME parsers for email, identifiers unminified. 1.5 MiB catches an accidental heavy
 * import: the full `twilio` package alone bundles to ~3.7 MB, the Salesforce and Google SDKs past a
 * megabyte. (Pipeline functions carry the provider SDKs and have no budget; the check prints their
 * sizes, `npm run bench` their cold starts.)
 */
export const WEBHOOK_BUNDLE_BUDGET_BYTES = 1.5 * 1024 * 1024;

export interface BundleReport {
  name: string;
  kind: FunctionKind;
  bytes: number;
  /** The budget it must stay under, if any. */
  budget?: number;
}

/**
 * Bundles every function as the stack does for `crm` (`leadline:crm`), into
 * `outdir/<name>/index.mjs`; resolves with each size.
 */
export const bundleAll = async (outdir: string, crm: BundledCrm = 'auto'): Promise<BundleReport[]> => {
  const { build } = await import('esbuild');
  return Promise.all(
    bundledFunctions().map(async ({ name, kind }) => {
      const result = await build(esbuildOptionsFor(name, join(outdir, name), crm));
      const [, output] = Object.entries(result.metafile!.outputs).find(([path]) => path.endsWith('.mjs'))!;
      return {
        name,
        kind,
        bytes: output.bytes,
        ...(kind === 'webhook' && { budget: WEBHOOK_BUNDLE_BUDGET_BYTES }),
      };
    }),
  );
};
