/**
 * `npm run eval`: reads the labelled lead messages (`scripts/eval/data`) with the rules qualifier,
 * and with OpenAI too when OPENAI_API_KEY is set, and prints the accuracy of each field on the
 * tuning set and on the held-out set. `--verbose` lists every wrong reading; `--set tune` (or
 * `holdout`) reads one set only (`--help` says more).
 * Exits 1 when the rules miss the target (≥ 90% on intent, service and urgency, no emergency missed).
 */
import { createOpenAiClient } from '#shared/adapters/openai/client.ts';
import { RulesQualifier } from '#shared/adapters/qualifier/index.ts';
import { OpenAiQualifier } from '#shared/adapters/qualifier/openai-qualifier.ts';
import type { Qualifier } from '#shared/ports/qualifier.ts';
import { parseCli, UsageError, withUsage } from '../lib/cli.ts';
import { loadDotEnv } from '../lib/load-dotenv.ts';
import { evaluate, FIELDS, type SetResult } from './evaluate.ts';
import { loadSet, type SetName } from './labelled-set.ts';
import { TARGET } from './target.ts';

loadDotEnv();
const EVAL_CLI = {
  command: 'npm run eval --',
  usage: `[--verbose] [--set tune|holdout|all]
Reads the labelled lead messages (scripts/eval/data) with the rules qualifier, and with OpenAI too
when OPENAI_API_KEY is set, and prints the accuracy of each field on each set. Exits 1 when the
rules miss the target (≥ ${TARGET.accuracy * 100}% on ${TARGET.fields.join(', ')}, no emergency missed).
  --verbose      list every wrong reading
  --set <name>   the set to read: tune, holdout, or all (both, the default); may be repeated`,
  options: {
    verbose: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
} as const;
const { values } = parseCli(EVAL_CLI);
const SET_NAMES = ['tune', 'holdout'] as const satisfies readonly SetName[];
const sets = withUsage(EVAL_CLI, () => {
  const chosen = new Set<SetName>();
  for (const given of values.set ?? ['all']) {
    if (given === 'all') for (const name of SET_NAMES) chosen.add(name);
    else if ((SET_NAMES as readonly string[]).includes(given)) chosen.add(given as SetName);
    else throw new UsageError(`--set ${given}: expected tune, holdout or all`);
  }
  return SET_NAMES.filter((name) => chosen.has(name));
});

const percent = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(7);

const qualifiers: Array<{ name: string; qualifier: Qualifier }> = [
  { name: 'rules', qualifier: new RulesQualifier() },
];
const apiKey = process.env.OPENAI_API_KEY;
if (apiKey) {
  const timeoutMs = 20_000;
  qualifiers.push({
    name: `openai (${process.env.OPENAI_MODEL ?? 'gpt-4o-mini'})`,
    qualifier: new OpenAiQualifier({
      client: createOpenAiClient({
        apiKey,
        baseUrl: process.env.OPENAI_BASE_URL,
        timeoutMs,
        maxRetries: 2,
      }),
      model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
      timeoutMs,
      maxRetries: 2,
    }),
  });
} else {
  console.log('OPENAI_API_KEY is not set: the rules qualifier only.\n');
}

const header = `${'qualifier'.padEnd(24)} ${'set'.padEnd(8)} ${'n'.padStart(4)} ${FIELDS.map((f) => f.padStart(9)).join(' ')}  emergencies`;
const rows: string[] = [];
let missedTarget = false;
for (const { name, qualifier } of qualifiers) {
  for (const set of sets) {
    const messages = loadSet(set);
    const result: SetResult = await evaluate(qualifier, messages);
    const { found, labelled, missed } = result.emergencies;
    rows.push(
      `${name.padEnd(24)} ${set.padEnd(8)} ${String(messages.length).padStart(4)} ${FIELDS.map((f) => percent(result.accuracy[f]).padStart(9)).join(' ')}  ${found}/${labelled}${missed.length > 0 ? ` missed ${missed.join(', ')}` : ''}`,
    );
    if (name === 'rules') {
      const short = TARGET.fields.filter((f) => result.accuracy[f] < TARGET.accuracy);
      if (short.length > 0 || missed.length > 0) missedTarget = true;
    }
    if (values.verbose) {
      console.log(`--- ${name} on ${set}: wrong readings`);
      for (const r of result.results.filter((r) => r.wrong.length > 0)) {
        const detail = r.error
          ? r.error
          : r.wrong
              .map(
                (f) =>
                  `${f}: ${JSON.stringify(r.reading?.[f])} (want ${JSON.stringify(r.message.expect[f])})`,
              )
              .join('; ');
        console.log(`${r.message.id}  ${r.message.body.replace(/\s+/g, ' ').slice(0, 70)}\n      ${detail}`);
      }
    }
  }
}
console.log(header);
for (const row of rows) console.log(row);
console.log(
  `\nTarget for the rules: ≥ ${TARGET.accuracy * 100}% on ${TARGET.fields.join(', ')}, no emergency missed: ${missedTarget ? 'MISSED' : 'met'}.`,
);
if (missedTarget) process.exitCode = 1;
