import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile, type Rep } from '#shared/config/business-profile.ts';
import { isRepOn } from '#shared/domain/routing/availability.ts';
import { routingCandidates } from '#shared/domain/routing/candidates.ts';
import { alertReference, readRepCommand } from '#shared/domain/routing/rep-command.ts';
import { pickWeighted, poolKey, type RotationTotals, repForTurn } from '#shared/domain/routing/rotation.ts';

/** Tuesday 2026-11-24, 12:00 in Chicago (the demo business's zone). */
const TUESDAY_NOON = new Date('2026-11-24T18:00:00Z');
/** Tuesday 23:30 in Chicago. */
const TUESDAY_NIGHT = new Date('2026-11-25T05:30:00Z');

const rep = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  notifyVia: 'sms',
  phone: '+15125550900',
  ...extra,
});
const profileWith = (reps: Array<Record<string, unknown>>) =>
  BusinessProfile.parse({ ...demoBusinessProfile, reps });
const ids = (reps: readonly Rep[]) => reps.map((r) => r.id);

describe('who may take a lead', () => {
  const profile = profileWith([
    rep('leaks-north', { services: ['Leak repair'], territory: ['Round Rock', '78664'] }),
    rep('leaks-anywhere', { services: ['Leak repair'] }),
    rep('drains', { services: ['Drain cleaning'] }),
    rep('generalist'),
  ]);

  it('prefers the reps of the service, then the one whose territory names the place', () => {
    const at = (location?: string) =>
      ids(routingCandidates(profile, { service: 'leak repair', location }, TUESDAY_NOON).reps);
    expect(at('Round Rock')).toEqual(['leaks-north']);
    expect(at('1200 Main St, Round Rock, 78664')).toEqual(['leaks-north']);
    expect(at('78664')).toEqual(['leaks-north']);
    // Elsewhere: the specialists without a territory; an unknown place keeps every specialist.
    expect(at('Kyle')).toEqual(['leaks-anywhere']);
    expect(at(undefined)).toEqual(['leaks-north', 'leaks-anywhere']);
  });

  it('falls back to the generalists, then to everyone, when nobody lists the service', () => {
    expect(ids(routingCandidates(profile, { service: 'Water heater' }, TUESDAY_NOON).reps)).toEqual([
      'generalist',
    ]);
    const specialistsOnly = profileWith([
      rep('a', { services: ['Drain cleaning'] }),
      rep('b', { services: ['Leak repair'] }),
    ]);
    expect(ids(routingCandidates(specialistsOnly, { service: 'Water heater' }, TUESDAY_NOON).reps)).toEqual([
      'a',
      'b',
    ]);
  });

  it('skips a rep with weight 0 and a rep who is off, and says so when everyone suited is off', () => {
    const team = profileWith([
      rep('paused', { weight: 0 }),
      rep('weekends', { workDays: ['sat', 'sun'] }),
      rep('days', { notifyHours: { start: '08:00', end: '18:00' } }),
    ]);
    expect(routingCandidates(team, {}, TUESDAY_NOON)).toMatchObject({ allOff: false });
    expect(ids(routingCandidates(team, {}, TUESDAY_NOON).reps)).toEqual(['days']);
    // At night nobody who takes leads is on: the ones who take leads, flagged.
    const night = routingCandidates(team, {}, TUESDAY_NIGHT);
    expect(night.allOff).toBe(true);
    expect(ids(night.reps)).toEqual(['weekends', 'days']);
  });

  it("reads a rep's days and hours in the rep's own zone", () => {
    const [eastern] = profileWith([
      rep('ny', { timeZone: 'America/New_York', notifyHours: { start: '09:00', end: '17:00' } }),
    ]).reps;
    // 17:30 in Chicago is 18:30 in New York: off.
    expect(isRepOn(eastern!, new Date('2026-11-24T23:30:00Z'), { timeZone: 'America/Chicago' })).toBe(false);
    expect(isRepOn(eastern!, new Date('2026-11-24T15:00:00Z'), { timeZone: 'America/Chicago' })).toBe(true);
  });
});

describe('weighted round-robin', () => {
  const run = (candidates: Array<{ repId: string; weight: number }>, picks: number) => {
    let totals: RotationTotals = {};
    const order: string[] = [];
    for (let i = 0; i < picks; i++) {
      const pick = pickWeighted(candidates, totals);
      order.push(pick.repId);
      totals = pick.totals;
    }
    return order;
  };

  it('gives each rep turns in proportion to their weight, spread out rather than in runs', () => {
    expect(
      run(
        [
          { repId: 'a', weight: 2 },
          { repId: 'b', weight: 1 },
        ],
        6,
      ),
    ).toEqual(['a', 'b', 'a', 'a', 'b', 'a']);
    const many = run(
      [
        { repId: 'a', weight: 5 },
        { repId: 'b', weight: 3 },
        { repId: 'c', weight: 1 },
      ],
      90,
    );
    expect(many.filter((r) => r === 'a')).toHaveLength(50);
    expect(many.filter((r) => r === 'b')).toHaveLength(30);
    expect(many.filter((r) => r === 'c')).toHaveLength(10);
  });

  it('takes equal turns when every weight is the same, or all are zero', () => {
    expect(
      run(
        [
          { repId: 'a', weight: 1 },
          { repId: 'b', weight: 1 },
          { repId: 'c', weight: 1 },
        ],
        6,
      ),
    ).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(
      run(
        [
          { repId: 'a', weight: 0 },
          { repId: 'b', weight: 0 },
        ],
        2,
      ),
    ).toEqual(['a', 'b']);
  });

  it('names a pool by its members, whatever their order', () => {
    expect(
      poolKey([
        { repId: 'b', weight: 1 },
        { repId: 'a', weight: 2 },
      ]),
    ).toBe('a,b');
    expect(() => pickWeighted([], {})).toThrow(/No rep/);
  });
});

describe("a rep's text back", () => {
  it.each([
    ['OK', { command: 'acknowledge' }],
    ['ok 4f2a', { command: 'acknowledge', reference: '4F2A' }],
    ['Got it!', { command: 'acknowledge' }],
    ['👍', { command: 'acknowledge' }],
    ['✅ 4F2A', { command: 'acknowledge', reference: '4F2A' }],
    ['TAKE 4F2A', { command: 'take-over' }],
    ["it's mine", { command: 'take-over' }],
    ['taking over.', { command: 'take-over' }],
    ['NOSHOW', { command: 'no-show' }],
    ['no-show 0a1b', { command: 'no-show', reference: '0A1B' }],
    ["they didn't show", { command: 'no-show' }],
    ['take it', { command: 'take-over' }],
    ['calling now', { command: 'acknowledge' }],
    // A reference that can match no alert is still read as one, so the rep hears it was not found.
    ['TAKE ZZZZ', { command: 'take-over', reference: 'ZZZZ' }],
    ['ok 43o5', { command: 'acknowledge', reference: '43O5' }],
  ])('reads %j', (text, expected) => {
    expect(readRepCommand(text)).toMatchObject(expected);
  });

  it.each(['STOP', 'YES', 'cancel', 'who is this lead?', 'ok but call me first', ''])(
    'takes %j for no command (carrier keywords are Twilio’s)',
    (text) => {
      expect(readRepCommand(text)).toBeNull();
    },
  );

  it('references a lead by the first four hex characters of its id', () => {
    expect(alertReference('ld_0a1b2c3d4e5f6a7b8c9d')).toBe('0A1B');
  });
});

describe('a pool’s turns', () => {
  it('names for each turn the rep the smooth weighted round-robin would, repeating every sum of weights', () => {
    const candidates = [
      { repId: 'rep-a', weight: 2 },
      { repId: 'rep-b', weight: 1 },
      { repId: 'rep-c', weight: 0 },
    ];
    let totals: RotationTotals = {};
    for (let turn = 0; turn < 9; turn++) {
      const pick = pickWeighted(candidates, totals);
      totals = pick.totals;
      expect(repForTurn(candidates, turn), `turn ${turn}`).toBe(pick.repId);
    }
    expect(repForTurn(candidates, 3_000_000)).toBe(repForTurn(candidates, 0));
    expect(repForTurn([{ repId: 'rep-z', weight: 0 }], 5)).toBe('rep-z');
    expect(() => repForTurn([], 0)).toThrow(/No rep/);
  });
});
