/**
 * Prints how the opt-out rules do on the labelled sets: precision, recall, and every message
 * they get wrong. `npm run eval:opt-out`.
 */
import { parseCli } from './lib/cli.ts';
import {
  evaluateOptOut,
  HOLDOUT_SET,
  LABELLED_SET,
  type OptOutFigures,
  readLabelledSet,
} from './lib/opt-out-eval.ts';

parseCli({
  command: 'npm run eval:opt-out --',
  usage: `
Prints how the opt-out rules do on the labelled set and on the holdout set: precision, recall,
counts by language, and every message they get wrong. Exits 1 when, on the labelled set, they
miss an opt-out or take a lead's message for one.`,
  options: {
    help: { type: 'boolean', short: 'h' },
  },
});

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

const report = (name: string, figures: OptOutFigures) => {
  console.log(`\n${name}: ${figures.messages} messages`);
  console.log(`  opt-out precision ${percent(figures.precision)}, recall ${percent(figures.recall)}`);
  for (const [language, counts] of Object.entries(figures.byLanguage)) {
    console.log(
      `  ${language}: ${counts.messages} messages, ${counts.missed} missed opt-outs, ${counts.falseOptOuts} false opt-outs`,
    );
  }
  for (const m of figures.wrong) {
    console.log(
      `  ✗ ${m.id} (${m.kind}, ${m.channel}) labelled ${m.label}, decided ${m.decided}: ${JSON.stringify(m.text)}`,
    );
  }
};

let failed = false;
for (const [name, file] of [
  ['labelled set', LABELLED_SET],
  ['holdout (written with the labelled set, before the rules)', HOLDOUT_SET],
] as const) {
  const figures = evaluateOptOut(readLabelledSet(file));
  report(name, figures);
  if (
    file === LABELLED_SET &&
    (figures.missed.length > 0 || figures.falseOptOuts.some((m) => m.kind === 'lead'))
  ) {
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
