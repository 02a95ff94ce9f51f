import { describe, expect, it } from 'vitest';
import { evaluateOptOut, LABELLED_SET, readLabelledSet } from '../../../scripts/lib/opt-out-eval.ts';

describe('the opt-out rules on the labelled set (npm run eval:opt-out prints the figures)', () => {
  const messages = readLabelledSet(LABELLED_SET);
  const figures = evaluateOptOut(messages);

  it('holds at least 150 messages in English and Spanish: opt-outs, near-misses and normal leads', () => {
    expect(messages.length).toBeGreaterThanOrEqual(150);
    for (const lang of ['en', 'es']) {
      for (const kind of ['opt_out', 'near_miss', 'lead'] as const) {
        expect(messages.filter((m) => m.lang === lang && m.kind === kind).length).toBeGreaterThanOrEqual(10);
      }
    }
  });

  it('misses no opt-out', () => {
    expect(figures.missed.map((m) => m.text)).toEqual([]);
    expect(figures.recall).toBe(1);
  });

  it('opts out no normal lead', () => {
    expect(figures.falseOptOuts.filter((m) => m.kind === 'lead').map((m) => m.text)).toEqual([]);
  });

  it('opts out no near-miss either, and reads every opt-in and help keyword as labelled', () => {
    expect(figures.wrong.map((m) => `${m.id} ${m.decided}`)).toEqual([]);
    expect(figures.precision).toBe(1);
  });
});
