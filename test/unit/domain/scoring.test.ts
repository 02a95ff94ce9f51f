import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { blankQualification, type Qualification } from '#shared/domain/qualification.ts';
import { qualifyByRules } from '#shared/domain/rules-qualifier.ts';
import { gradeFor, SCORE_WEIGHTS, scoreLead, serviceAreaMatch } from '#shared/domain/scoring.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const firstText = { inboundCount: 1, outboundCount: 0, hasEmail: false, hasPhone: true };

function blank(overrides: Partial<Qualification> = {}): Qualification {
  return blankQualification({ summary: 'x', ...overrides });
}

function scoreText(body: string, conversation = firstText) {
  const qualification = qualifyByRules({
    channel: 'sms',
    body,
    history: [],
    offeredSlots: [],
    business: { name: profile.name, services: profile.services },
  });
  return scoreLead({ qualification, conversation, profile });
}

describe('scoreLead: grades real messages with the demo profile', () => {
  it('grades an urgent leak in the area with a visit wanted today as hot', () => {
    const result = scoreText(
      'Pipe burst under the kitchen sink, water everywhere! In Round Rock, can someone come today?',
    );
    expect(result.grade).toBe('hot');
    expect(result.score).toBeGreaterThanOrEqual(70);
    expect(result.reasons).toEqual(
      expect.arrayContaining([
        'wants it today or as soon as possible (+25)',
        'inside the service area (+10)',
        'wants a meeting (+20)',
      ]),
    );
  });

  it('grades a remodel enquiry for this month with no other details as warm', () => {
    const result = scoreText('Looking to remodel our bathroom sometime this month, what does it cost?');
    expect(result.grade).toBe('warm');
  });

  it('grades "just looking, maybe next year" as cold', () => {
    const result = scoreText('just looking, maybe next year');
    expect(result.grade).toBe('cold');
    expect(result.reasons).toContain('no rush / later (-15)');
  });

  it('grades a lead outside the service area lower than the same lead inside it', () => {
    const inside = scoreText('Need a water heater installed next week in Austin, can you give me a quote?');
    const outside = scoreText('Need a water heater installed next week in Dallas, can you give me a quote?');
    expect(inside.score - outside.score).toBe(
      SCORE_WEIGHTS.insideServiceArea - SCORE_WEIGHTS.outsideServiceArea,
    );
    expect(outside.reasons).toContain('outside the service area (-25)');
  });
});

describe('scoreLead: rules', () => {
  it.each([
    ['spam', 'looks like spam (score 0)'],
    ['wrong_number', 'wrong number (score 0)'],
    ['opt_out', 'opted out (score 0)'],
  ] as const)('gives %s a score of 0, cold', (intent, reason) => {
    const qualification = blank({ intent, service: 'Leak repair', timing: 'urgent', wantsMeeting: true });
    expect(scoreLead({ qualification, conversation: firstText, profile })).toEqual({
      score: 0,
      grade: 'cold',
      reasons: [reason],
    });
  });

  it('explains every point in plain English and the reasons add up to the score', () => {
    const qualification = blank({
      name: 'Jane',
      need: 'leaking pipe',
      service: 'Leak repair',
      timing: 'this_week',
      budget: '$300',
      location: 'Cedar Park',
      wantsMeeting: true,
      email: 'jane@example.com',
    });
    const result = scoreLead({ qualification, conversation: { ...firstText, inboundCount: 3 }, profile });
    expect(result.reasons).toEqual([
      'enquiry (base 20)',
      'asks for a service we offer: Leak repair (+15)',
      'said what they need (+5)',
      'needs it this week (+15)',
      'gave a budget ($300) (+5)',
      'inside the service area (+10)',
      'wants a meeting (+20)',
      'gave their name (+5)',
      'reachable by phone and email (+5)',
      'engaged: 3 messages (+10)',
      'capped at 100 (reasons add up to 110)',
    ]);
    const sum = result.reasons.reduce((total, reason) => {
      const match = /\(([+-]\d+)\)$|\(base (\d+)\)$/.exec(reason);
      return total + Number(match?.[1] ?? match?.[2] ?? 0);
    }, 0);
    expect(Math.min(100, sum)).toBe(result.score);
    expect(result.score).toBe(100);
  });

  it('gives nothing for a service the business does not offer', () => {
    const result = scoreLead({
      qualification: blank({ service: 'Roofing' }),
      conversation: firstText,
      profile,
    });
    expect(result.score).toBe(SCORE_WEIGHTS.base);
  });

  it('raises the score as the lead keeps talking, up to a cap', () => {
    const scores = [1, 2, 3, 6].map(
      (inboundCount) =>
        scoreLead({ qualification: blank(), conversation: { ...firstText, inboundCount }, profile }).score,
    );
    expect(scores).toEqual([20, 25, 30, 30]);
  });

  it('counts a slot the lead picked as wanting a meeting', () => {
    const result = scoreLead({ qualification: blank({ slotChoice: 2 }), conversation: firstText, profile });
    expect(result.reasons).toContain('wants a meeting (+20)');
  });

  it('stays within 0-100 and returns an integer', () => {
    const low = scoreLead({
      qualification: blank({ timing: 'later', location: 'Houston' }),
      conversation: firstText,
      profile,
    });
    expect(low.score).toBe(0);
    expect(Number.isInteger(low.score)).toBe(true);
  });
});

describe('serviceAreaMatch', () => {
  const places = profile.serviceArea.places;
  it.each([
    ['Round Rock', 'inside'],
    ['round rock, tx', 'inside'],
    ['1200 Oak Hollow Dr, Austin', 'inside'],
    ['Cedar', 'inside'],
    ['Dallas, TX', 'outside'],
    ['78701', 'unknown'],
    ['1200 Oak Hollow Dr', 'unknown'],
    [null, 'unknown'],
    ['', 'unknown'],
  ] as const)('places %j %s the demo area', (location, expected) => {
    expect(serviceAreaMatch(location, places)).toBe(expected);
  });

  it('matches a listed ZIP code', () => {
    expect(serviceAreaMatch('78701', ['78701', '78702'])).toBe('inside');
  });

  it('treats an empty list of places as serving anywhere', () => {
    expect(serviceAreaMatch('Dallas', [])).toBe('inside');
  });
});

describe('gradeFor', () => {
  it.each([
    [100, 'hot'],
    [70, 'hot'],
    [69, 'warm'],
    [40, 'warm'],
    [39, 'cold'],
    [0, 'cold'],
  ] as const)('grades %i as %s', (score, grade) => {
    expect(gradeFor(score)).toBe(grade);
  });
});

describe('scoreLead: emergencies', () => {
  it('grades an emergency hot whatever else is missing, and says why', () => {
    const result = scoreLead({
      qualification: blank({ urgency: 'emergency' }),
      conversation: firstText,
      profile,
    });
    expect(result.grade).toBe('hot');
    expect(result.score).toBe(SCORE_WEIGHTS.emergencyFloor);
    expect(result.reasons).toEqual(
      expect.arrayContaining([
        `emergency: damage or danger now (+${SCORE_WEIGHTS.urgency.emergency})`,
        expect.stringMatching(/^an emergency is hot whatever else is missing \(\+\d+\)$/),
      ]),
    );
  });

  it('grades the water through the ceiling of issue 11 hot', () => {
    const result = scoreText(
      'HELP!! Water is pouring through my ceiling from the upstairs bathroom. Round Rock. Need someone ASAP',
    );
    expect(result.grade).toBe('hot');
  });
});
