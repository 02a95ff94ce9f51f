/**
 * `npm run soak`: exactly once and nothing lost, measured from outside on the local runtime
 * (issue 8). `npm run soak -- --help` for the options.
 */
import { parseSoakArgs, USAGE, UsageError } from './args.ts';
import { summaryLines } from './report.ts';
import { runSoak } from './run-soak.ts';

let options: ReturnType<typeof parseSoakArgs>;
try {
  options = parseSoakArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${USAGE}\n${error.message}`);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
  process.exit(0);
}

console.log(`soak: seed ${options.seed}, ${options.messages} requests, ${options.concurrency} threads`);
const started = Date.now();
const result = await runSoak(options, (line) =>
  console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}`),
).catch((error: Error) => {
  console.error(`The soak could not run: ${error.message}`);
  process.exit(3);
});
for (const line of summaryLines(result)) console.log(line);
process.exit(result.ok ? 0 : 1);
