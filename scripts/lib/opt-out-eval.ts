import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { decideConsentKeyword } from '#shared/compliance/consent-keywords.ts';

/** One labelled message of `test/fixtures/opt-out/*.jsonl`. */
export const LabelledMessage = z.object({
  id: z.string().min(1),
  channel: z.enum(['sms', 'email']),
  lang: z.string().min(2),
  /** opt_out: a revocation; near_miss: reads like one and is not; lead: an ordinary lead message; keyword: opt-in/help keywords. */
  kind: z.enum(['opt_out', 'near_miss', 'lead', 'keyword']),
  label: z.enum(['opt_out', 'opt_in', 'help', 'none']),
  text: z.string(),
  subject: z.string().optional(),
});
export type LabelledMessage = z.infer<typeof LabelledMessage>;

export const LABELLED_SET = new URL('../../test/fixtures/opt-out/labelled.jsonl', import.meta.url);
export const HOLDOUT_SET = new URL('../../test/fixtures/opt-out/holdout.jsonl', import.meta.url);

/** Reads a JSON-lines file of labelled messages; throws naming the line that does not parse. */
export function readLabelledSet(file: URL): LabelledMessage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => {
      const parsed = LabelledMessage.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file.pathname}:${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export interface OptOutFigures {
  messages: number;
  /** Opt-outs found that are opt-outs / all opt-outs found. */
  precision: number;
  /** Opt-outs found / all labelled opt-outs. */
  recall: number;
  missed: LabelledMessage[];
  falseOptOuts: LabelledMessage[];
  /** Messages whose decision differs from the label in any way (opt-in and help too). */
  wrong: Array<LabelledMessage & { decided: string }>;
  byLanguage: Record<string, { messages: number; missed: number; falseOptOuts: number }>;
}

/** Runs the rules' decision over a labelled set and measures opt-out precision and recall. */
export function evaluateOptOut(messages: readonly LabelledMessage[]): OptOutFigures {
  const decided = messages.map((m) => ({
    ...m,
    decided: decideConsentKeyword(m.text, { channel: m.channel, subject: m.subject }) ?? 'none',
  }));
  const foundOptOuts = decided.filter((m) => m.decided === 'opt_out');
  const labelledOptOuts = decided.filter((m) => m.label === 'opt_out');
  const truePositives = foundOptOuts.filter((m) => m.label === 'opt_out').length;
  const missed = labelledOptOuts.filter((m) => m.decided !== 'opt_out');
  const falseOptOuts = foundOptOuts.filter((m) => m.label !== 'opt_out');
  const byLanguage: OptOutFigures['byLanguage'] = {};
  for (const m of decided) {
    const entry = byLanguage[m.lang] ?? { messages: 0, missed: 0, falseOptOuts: 0 };
    byLanguage[m.lang] = entry;
    entry.messages += 1;
    if (missed.includes(m)) entry.missed += 1;
    if (falseOptOuts.includes(m)) entry.falseOptOuts += 1;
  }
  return {
    messages: messages.length,
    precision: foundOptOuts.length === 0 ? 1 : truePositives / foundOptOuts.length,
    recall: labelledOptOuts.length === 0 ? 1 : truePositives / labelledOptOuts.length,
    missed,
    falseOptOuts,
    wrong: decided.filter((m) => m.decided !== m.label),
    byLanguage,
  };
}
