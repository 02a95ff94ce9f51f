import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptionsFor, REPO_ROOT } from '../../infra/bundling.ts';

const stub = join(REPO_ROOT, '.bench', 'stub.mjs');

import { writeFileSync } from 'node:fs';

writeFileSync(
  stub,
  'export const eld = { detect: () => ({ language: "en", isReliable: () => true, getScores: () => ({}) }) }; export default eld;',
);
for (const [label, alias] of [
  ['full', {}],
  ['no-eld', { 'eld/small': stub }],
  ['no-eld-openai', { 'eld/small': stub, openai: stub }],
] as const) {
  const r = await build({
    ...esbuildOptionsFor('qualify', join(REPO_ROOT, '.bench', `q-${label}`), 'auto'),
    alias,
  });
  const out = Object.entries(r.metafile!.outputs).find(([p]) => p.endsWith('.mjs'))!;
  console.log(label, (out[1].bytes / 1024).toFixed(0));
}
