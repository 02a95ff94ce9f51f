import { measureColdStarts } from './cold-start.ts';
import { median } from './stats.ts';

const r = await measureColdStarts({ nodeOptions: process.argv[2] ?? '' });
for (const c of r)
  console.log(
    c.name.padEnd(14),
    (c.bundleBytes / 1024).toFixed(0).padStart(6),
    'KiB import',
    median(c.importMs).toFixed(0).padStart(5),
    'invoke',
    median(c.firstInvokeMs).toFixed(0).padStart(5),
    'proxy',
    (median(c.importMs) + median(c.firstInvokeMs)).toFixed(0).padStart(5),
    c.failures.map((f) => f.slice(0, 200)).join(' | '),
  );
