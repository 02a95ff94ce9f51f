import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { soakOptions } from '../../scripts/soak/args.ts';
import { CHECKS } from '../../scripts/soak/reconcile.ts';
import { countsTable } from '../../scripts/soak/report.ts';
import { runSoak } from '../../scripts/soak/run-soak.ts';

// `npm run soak` in small: npm start in its own process, 40 signed webhooks from 4 threads
// (repeats, a burst, a STOP, forgeries), one SIGKILL and restart on the same data, retries of
// what went unanswered, the clock moved through 5 days (follow-ups, reminders, reps' response
// clocks) with a second SIGKILL, then the reconciliation. Every count must be 0.
describe('soak', () => {
  it('answers every accepted message once and loses nothing across repeats, bursts, STOP, forgeries and a SIGKILL', async () => {
    const out = await mkdtemp(join(tmpdir(), 'leadline-soak-test-'));
    const result = await runSoak(
      soakOptions({ messages: 40, concurrency: 4, seed: 8, out, quietMs: 2000, retryBackoffMs: 300 }),
    );

    expect(result.plan).toMatchObject({ forged: 2, repeats: 4 });
    expect(result.plan.bursts).toBeGreaterThan(0);
    expect(result.plan.stops).toBeGreaterThan(0);
    expect(result.durations.downtime).toBeGreaterThan(0);
    expect(result.durations.clockDowntime).toBeGreaterThan(0);
    expect(result.reconciliation.stats.followUpsSent).toBeGreaterThan(0);
    expect(result.reconciliation.stats.repAlerts).toBeGreaterThan(0);
    const zeros = Object.fromEntries(Object.keys(CHECKS).map((check) => [check, 0]));
    expect(
      result.reconciliation.counts,
      [...countsTable(result), `results: ${result.files.results}`].join('\n'),
    ).toEqual(zeros);
    await rm(out, { recursive: true, force: true });
  }, 240_000);
});
