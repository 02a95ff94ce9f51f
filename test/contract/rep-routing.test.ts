import { describe, expect, it } from 'vitest';
import { LeadScored, RepMessageReceived, RepNotified, RepResponseDue } from '#events/catalog.ts';
import { sampleDetail } from '#events/samples.ts';
import { DynamoRepRouting } from '#shared/adapters/aws/dynamo-rep-routing.ts';
import { LeadsTable } from '#shared/adapters/aws/dynamo-table.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import type { TimerRequest, Timers } from '#shared/ports/timers.ts';
import { handleRepMessage } from '../../functions/route/rep-reply.ts';
import { startResponseClock } from '../../functions/route/response-clock.ts';
import { type RouteDeps, reassignUnanswered, routeLead } from '../../functions/route/route-lead.ts';
import { TEST_TABLES, useTestLeadStore } from '../support/dynamo.ts';

/** Tuesday 2026-11-24, 12:00 in Chicago: every rep below is on duty. */
const NOON = new Date('2026-11-24T18:00:00Z');

const profile = BusinessProfile.parse({
  ...demoBusinessProfile,
  reps: [
    { id: 'rep-a', name: 'Alex', notifyVia: 'sms', phone: '+15125550901', weight: 2 },
    { id: 'rep-b', name: 'Bea', notifyVia: 'sms', phone: '+15125550902' },
    { id: 'rep-c', name: 'Cy', notifyVia: 'slack', slackChannel: '#leads' },
  ],
});

describe('the reps’ round-robin and alert log, against DynamoDB', () => {
  const db = useTestLeadStore();
  const routing = () => new DynamoRepRouting(new LeadsTable(db.dynamo.documents, TEST_TABLES.leads));

  it('takes turns by weight and decides each key once, however many pick at the same moment', async () => {
    const pool = [
      { repId: 'rep-a', weight: 2 },
      { repId: 'rep-b', weight: 1 },
    ];
    const keys = Array.from({ length: 12 }, (_, i) => `sms-SM${i}#1`);
    const picks = await Promise.all(keys.map((key) => routing().pickRep(key, pool)));
    expect(picks.filter((r) => r === 'rep-a')).toHaveLength(8);
    expect(picks.filter((r) => r === 'rep-b')).toHaveLength(4);
    // A retry of any of them gets its first answer and moves nobody's turn.
    expect(await Promise.all(keys.map((key) => routing().pickRep(key, pool)))).toEqual(picks);
    const next = await routing().pickRep('sms-SMnext#1', pool);
    expect(next).toBe('rep-a');
  });

  it('decides every pick when more pick at once than the rotation item takes in a row (route runs 10 at once)', async () => {
    const pool = [
      { repId: 'rep-a', weight: 1 },
      { repId: 'rep-b', weight: 1 },
    ];
    // Each pick is a read and a conditional write of one item: contenders must spread out, not
    // collide again at once until their tries run out (found by `npm run bench` at 50 leads/s).
    const keys = Array.from({ length: 30 }, (_, i) => `sms-SMhot${i}#1`);
    const picks = await Promise.all(keys.map((key) => routing().pickRep(key, pool)));
    expect(picks.filter((r) => r === 'rep-a')).toHaveLength(15);
    expect(picks.filter((r) => r === 'rep-b')).toHaveLength(15);
  });

  it("lists a rep's alerts newest first", async () => {
    const log = routing();
    for (const [at, leadId] of [
      ['2026-11-24T18:00:00.000Z', 'ld_1'],
      ['2026-11-24T18:05:00.000Z', 'ld_2'],
      ['2026-11-24T18:01:00.000Z', 'ld_3'],
    ] as const) {
      await log.recordAlert({
        repId: 'rep-z',
        leadId,
        reference: leadId.toUpperCase(),
        reason: 'hot-lead',
        at,
      });
    }
    expect((await log.recentAlerts('rep-z', 2)).map((a) => a.leadId)).toEqual(['ld_2', 'ld_3']);
    expect(await log.recentAlerts('rep-nobody', 5)).toEqual([]);
  });
});

describe('routing a lead and its response clock, against DynamoDB', () => {
  const db = useTestLeadStore();
  let clock = NOON;

  const harness = () => {
    const published: Array<{ type: string; detail: Record<string, unknown> }> = [];
    const timers = { set: [] as TimerRequest[], cancelled: [] as string[] };
    const fakeTimers: Timers = {
      set: async (timer) => {
        timers.set.push(timer as TimerRequest);
        return true;
      },
      cancel: async (name) => {
        timers.cancelled.push(name);
      },
    };
    const deps: RouteDeps = {
      store: db.store,
      routing: new DynamoRepRouting(new LeadsTable(db.dynamo.documents, TEST_TABLES.leads)),
      timers: fakeTimers,
      publisher: {
        publish: async (event, detail) =>
          void published.push({ type: event.detailType, detail: detail as Record<string, unknown> }),
      },
      profile,
      now: () => clock,
    };
    return { deps, published, timers };
  };

  const newLead = async (leadId: string) => {
    await db.store.recordInbound({
      leadId,
      contact: '+15125550123',
      channel: 'sms',
      phone: '+15125550123',
      timeZone: 'America/Chicago',
      message: { messageId: `sms-${leadId}`, channel: 'sms', body: 'Pipe burst!', at: NOON.toISOString() },
    });
    return sampleDetail(LeadScored, { leadId, messageId: `sms-${leadId}`, correlationId: `sms-${leadId}` });
  };

  it('routes once per message: a retry announces the same rep, and the clock starts only for that rep', async () => {
    clock = NOON;
    const { deps, published, timers } = harness();
    const scored = await newLead('ld_route00000000000001');
    const first = await routeLead(scored, deps);
    const again = await routeLead(scored, deps);
    expect(again).toEqual(first);
    expect(published.map((p) => p.detail)).toEqual([published[0]!.detail, published[0]!.detail]);
    expect(published[0]).toMatchObject({ type: 'Lead Routed', detail: { attempt: 1, responseMinutes: 5 } });

    const other = first.repId === 'rep-a' ? 'rep-b' : 'rep-a';
    const notified = (repId: string) =>
      sampleDetail(RepNotified, { leadId: scored.leadId, correlationId: scored.correlationId, repId });
    expect(await startResponseClock(notified(other), deps)).toMatchObject({ status: 'no-clock' });
    expect(await startResponseClock(notified(first.repId), deps)).toEqual({
      respondBy: '2026-11-24T18:05:00.000Z',
    });
    // A second notice (a retry) sets the same timer: the scheduler keeps the first.
    await startResponseClock(notified(first.repId), deps);
    expect(new Set(timers.set.map((t) => t.name)).size).toBe(1);
    expect(timers.set[0]?.detail).toMatchObject({ attempt: 1, repId: first.repId });
  });

  it('passes the lead on when the time runs out, announces it again on a retry, and leaves it when the rep answered', async () => {
    clock = NOON;
    const { deps, published } = harness();
    const scored = await newLead('ld_route00000000000002');
    const first = await routeLead(scored, deps);
    const due = sampleDetail(RepResponseDue, {
      leadId: scored.leadId,
      correlationId: scored.correlationId,
      messageId: scored.messageId,
      attempt: 1,
      repId: first.repId,
    });
    clock = new Date(NOON.getTime() + 5 * 60_000);
    const outcome = await reassignUnanswered(due, deps);
    expect(outcome.status).toBe('reassigned');
    const second = (outcome as { routing: { repId: string; tried: string[] } }).routing;
    expect(second.repId).not.toBe(first.repId);
    expect(second.tried).toEqual([first.repId, second.repId]);
    const announced = published.slice(1);
    expect(announced.map((p) => p.type)).toEqual(['Rep Response Missed', 'Lead Routed']);

    // The same timer delivered twice: the same announcements, nothing moves.
    expect((await reassignUnanswered(due, deps)).status).toBe('reassigned');
    expect(published.slice(3).map((p) => p.detail)).toEqual(announced.map((p) => p.detail));
    expect((await db.store.getLead(scored.leadId))?.routing?.attempt).toBe(2);

    // The second rep answers OK: their clock stops and a late timer finds nothing to do.
    const ok = sampleDetail(RepMessageReceived, {
      leadId: scored.leadId,
      repId: second.repId,
      receivedAt: new Date(clock.getTime() + 60_000).toISOString(),
    });
    expect(await handleRepMessage(ok, deps)).toMatchObject({ response: 'acknowledged' });
    const late = { ...due, attempt: 2, repId: second.repId };
    expect(await reassignUnanswered(late, deps)).toMatchObject({ status: 'stale' });
    // The first rep answering now is late: the lead stays with the second.
    const firstAnswers = sampleDetail(RepMessageReceived, {
      leadId: scored.leadId,
      messageId: 'sms-SMlate',
      repId: first.repId,
      receivedAt: new Date(clock.getTime() + 120_000).toISOString(),
    });
    expect(await handleRepMessage(firstAnswers, deps)).toEqual({ response: 'late' });
    expect((await db.store.getLead(scored.leadId))?.assignedRepId).toBe(second.repId);
  });

  it('marks a lead unanswered when no rep is left, and tells the manager without a next rep', async () => {
    clock = NOON;
    const { deps, published } = harness();
    const scored = await newLead('ld_route00000000000003');
    let routed = await routeLead(scored, deps);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const outcome = await reassignUnanswered(
        sampleDetail(RepResponseDue, {
          leadId: scored.leadId,
          correlationId: scored.correlationId,
          messageId: scored.messageId,
          attempt,
          repId: routed.repId,
        }),
        deps,
      );
      expect(outcome.status).toBe(attempt < 3 ? 'reassigned' : 'unanswered');
      if ('routing' in outcome) routed = outcome.routing;
    }
    const missed = published.filter((p) => p.type === 'Rep Response Missed').map((p) => p.detail);
    expect(missed).toHaveLength(3);
    expect(missed[2]).not.toHaveProperty('nextRepId');
    expect(new Set(routed.tried)).toEqual(new Set(['rep-a', 'rep-b', 'rep-c']));
  });

  it.each([
    ['booked a meeting since', 'booked'],
    ['opted out', 'opted_out'],
    ['was won', 'won'],
    ['was lost', 'lost'],
  ] as const)('stops passing the lead on when it %s, and records why', async (_, stage) => {
    clock = NOON;
    const { deps, published } = harness();
    const scored = await newLead(`ld_routestop${stage.padEnd(10, '0')}`);
    const first = await routeLead(scored, deps);
    clock = new Date(NOON.getTime() + 3 * 60_000);
    if (stage === 'booked') {
      await db.store.saveMeeting({
        meetingId: `mtg-${stage}`,
        leadId: scored.leadId,
        start: '2026-11-25T16:00:00.000Z',
        end: '2026-11-25T16:30:00.000Z',
        repId: first.repId,
        calendarEventId: `evt-${stage}`,
        bookedAt: clock.toISOString(),
      });
    }
    await db.store.modifyLead(scored.leadId, () => ({ stage }));
    clock = new Date(NOON.getTime() + 5 * 60_000);
    const due = sampleDetail(RepResponseDue, {
      leadId: scored.leadId,
      correlationId: scored.correlationId,
      messageId: scored.messageId,
      attempt: 1,
      repId: first.repId,
    });
    expect(await reassignUnanswered(due, deps)).toEqual({ status: 'stopped', reason: stage });
    expect(await reassignUnanswered(due, deps)).toEqual({ status: 'stopped', reason: stage });
    const lead = await db.store.getLead(scored.leadId);
    expect(lead?.routing).toMatchObject({ repId: first.repId, attempt: 1, stopped: { reason: stage } });
    expect(published.map((p) => p.type)).toEqual(['Lead Routed']);
  });

  it('keeps passing on an emergency of a lead booked before it was routed', async () => {
    clock = NOON;
    const { deps } = harness();
    const scored = await newLead('ld_routebookedbefore01');
    await db.store.saveMeeting({
      meetingId: 'mtg-before',
      leadId: scored.leadId,
      start: '2026-11-25T16:00:00.000Z',
      end: '2026-11-25T16:30:00.000Z',
      repId: 'rep-a',
      calendarEventId: 'evt-before',
      bookedAt: new Date(NOON.getTime() - 60 * 60_000).toISOString(),
    });
    await db.store.modifyLead(scored.leadId, () => ({ stage: 'booked' }));
    const first = await routeLead(scored, deps);
    clock = new Date(NOON.getTime() + 5 * 60_000);
    const due = sampleDetail(RepResponseDue, {
      leadId: scored.leadId,
      correlationId: scored.correlationId,
      messageId: scored.messageId,
      attempt: 1,
      repId: first.repId,
    });
    expect((await reassignUnanswered(due, deps)).status).toBe('reassigned');
  });

  it('hands the conversation to a rep who takes it over, and keeps them for the next alert', async () => {
    clock = NOON;
    const { deps, published } = harness();
    const scored = await newLead('ld_route00000000000004');
    await routeLead(scored, deps);
    const take = sampleDetail(RepMessageReceived, {
      leadId: scored.leadId,
      messageId: 'sms-SMtake',
      repId: 'rep-c',
      command: 'take-over',
    });
    expect(await handleRepMessage(take, deps)).toMatchObject({ response: 'took-over' });
    const lead = await db.store.getLead(scored.leadId);
    expect(lead?.handedToRep).toMatchObject({ repId: 'rep-c', messageId: 'sms-SMtake' });
    expect(lead?.assignedRepId).toBe('rep-c');
    expect(published.at(-1)).toMatchObject({ type: 'Rep Responded', detail: { response: 'took-over' } });

    // An emergency later: the rep who has the conversation gets it, whoever's turn it is.
    const emergency = { ...scored, messageId: 'sms-SMlater', correlationId: 'sms-SMlater', emergency: true };
    expect(await routeLead(emergency, deps)).toMatchObject({ repId: 'rep-c', reason: 'emergency' });
  });

  it('reports a no-show on the meeting that has started, and on none before it starts', async () => {
    clock = NOON;
    const { deps } = harness();
    const scored = await newLead('ld_route00000000000005');
    await db.store.saveMeeting({
      meetingId: 'mtg-1',
      leadId: scored.leadId,
      start: '2026-11-24T19:00:00.000Z',
      end: '2026-11-24T19:30:00.000Z',
      repId: 'rep-a',
      calendarEventId: 'evt-1',
      bookedAt: NOON.toISOString(),
    });
    const noShow = (receivedAt: string) =>
      sampleDetail(RepMessageReceived, {
        leadId: scored.leadId,
        command: 'no-show',
        repId: 'rep-a',
        receivedAt,
      });
    expect(await handleRepMessage(noShow('2026-11-24T18:30:00.000Z'), deps)).toMatchObject({
      response: 'nothing',
    });
    expect(await handleRepMessage(noShow('2026-11-24T19:40:00.000Z'), deps)).toEqual({
      response: 'no-show',
      meetingId: 'mtg-1',
    });
    expect((await db.store.getMeetings(scored.leadId))[0]?.noShow).toBe(true);
  });
});
