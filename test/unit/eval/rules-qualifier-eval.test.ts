import { describe, expect, it } from 'vitest';
import { RulesQualifier } from '#shared/adapters/qualifier/index.ts';
import { evaluate } from '../../../scripts/eval/evaluate.ts';
import { loadSet, type SetName } from '../../../scripts/eval/labelled-set.ts';
import { TARGET } from '../../../scripts/eval/target.ts';

describe('the rules qualifier on the labelled messages (npm run eval)', () => {
  it('has at least 200 labelled messages, SMS and email, with an emergency, a reschedule and a cancellation', () => {
    const all = [...loadSet('tune'), ...loadSet('holdout')];
    expect(all.length).toBeGreaterThanOrEqual(200);
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    expect(all.some((m) => m.channel === 'email')).toBe(true);
    expect(all.some((m) => m.expect.language === 'es')).toBe(true);
    for (const meeting of ['reschedule', 'cancel', 'slot-chosen'] as const) {
      expect(all.some((m) => m.expect.meeting === meeting)).toBe(true);
    }
  });

  it.each<SetName>(['tune', 'holdout'])(
    'meets the target on the %s set: intent, service and urgency, and misses no emergency',
    async (set) => {
      const result = await evaluate(new RulesQualifier(), loadSet(set));
      for (const field of TARGET.fields)
        expect(result.accuracy[field], field).toBeGreaterThanOrEqual(TARGET.accuracy);
      expect(result.emergencies.missed).toEqual([]);
    },
  );
});
