import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type BuildOptions, type BuildResult, build, buildSync } from 'esbuild';

/**
 * The browser console, built by the esbuild the project installs (no global tools, nothing
 * fetched at run time): Preact and the app in hashed ES modules, a stylesheet, and `index.html`
 * naming them. The local runtime serves the build from memory; the stack bundles it into the
 * console bucket (`infra/constructs/console.ts`); `npm run screenshots` drives it.
 */

export const CONSOLE_DIR = resolve(import.meta.dirname);
const ROOT = resolve(CONSOLE_DIR, '..');
const OUT = join(CONSOLE_DIR, 'dist');

export interface ConsoleFile {
  /** URL path, e.g. `/assets/app-5HX2.js` or `/index.html`. */
  path: string;
  contentType: string;
  body: Uint8Array;
  /** Named by its content hash: cacheable for ever. */
  immutable: boolean;
}

const options: BuildOptions = {
  entryPoints: { app: join(CONSOLE_DIR, 'src/main.tsx') },
  outdir: OUT,
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'browser',
  format: 'esm',
  // The sign-in library is loaded only by the cloud console.
  splitting: true,
  target: ['es2022', 'chrome111', 'safari16', 'firefox111'],
  minify: true,
  sourcemap: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: 'assets/[name]-[hash]',
  chunkNames: 'assets/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  metafile: true,
  write: false,
  logLevel: 'silent',
};

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};
const contentType = (path: string) =>
  CONTENT_TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';

const collect = (result: BuildResult<typeof options>): ConsoleFile[] => {
  const files: ConsoleFile[] = (result.outputFiles ?? []).map((file) => {
    const path = `/${relative(OUT, file.path).split('\\').join('/')}`;
    return { path, contentType: contentType(path), body: file.contents, immutable: true };
  });
  const entry = Object.entries(result.metafile?.outputs ?? {}).find(([, output]) => output.entryPoint);
  if (!entry) throw new Error('The console build produced no entry point');
  const [jsPath, { cssBundle }] = entry;
  const url = (path: string) => `/${relative(OUT, resolve(ROOT, path)).split('\\').join('/')}`;
  const html = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8')
    .replace('%APP_JS%', url(jsPath))
    .replace('%APP_CSS%', cssBundle ? url(cssBundle) : '');
  files.push({
    path: '/index.html',
    contentType: contentType('.html'),
    body: new TextEncoder().encode(html),
    immutable: false,
  });
  return files;
};

/** Builds the console in memory. */
export const buildConsole = async (): Promise<ConsoleFile[]> => collect(await build(options));

/** The same build, synchronously (what CDK's local asset bundling needs). */
export const buildConsoleSync = (): ConsoleFile[] => collect(buildSync(options));

/** Writes a build into `dir` (paths as in the URL). */
export const writeConsole = (files: readonly ConsoleFile[], dir: string): void => {
  for (const file of files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.body);
  }
};
