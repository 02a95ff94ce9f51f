import type { BusinessProfile } from '#shared/config/business-profile.ts';
import type { Qualification } from '#shared/domain/qualification.ts';

export type Grade = 'hot' | 'warm' | 'cold';

export interface LeadScore {
  score: number;
  grade: Grade;
  reasons: string[];
}

export interface ConversationFacts {
  inboundCount: number;
  outboundCount: number;
  hasEmail: boolean;
  hasPhone: boolean;
}

/** Every weight in one place, so tuning the scorer means editing this table only. */
export const SCORE_WEIGHTS = {
  /** Every real enquiry starts here. */
  base: 20,
  serviceMatch: 15,
  needStated: 5,
  timing: { urgent: 25, this_week: 15, this_month: 5, later: -15, unknown: 0 },
  /** An emergency also lifts the lead to at least `emergencyFloor`: it is hot whatever else is missing. */
  urgency: { emergency: 30, urgent: 10, normal: 0 },
  emergencyFloor: 90,
  budgetGiven: 5,
  insideServiceArea: 10,
  outsideServiceArea: -25,
  wantsMeeting: 20,
  nameGiven: 5,
  phoneAndEmail: 5,
  /** Per inbound message after the first, up to `engagementCap`. */
  engagementPerMessage: 5,
  engagementCap: 10,
} as const;

export const GRADE_THRESHOLDS = { hot: 70, warm: 40 } as const;

export function gradeFor(score: number): Grade {
  if (score >= GRADE_THRESHOLDS.hot) return 'hot';
  if (score >= GRADE_THRESHOLDS.warm) return 'warm';
  return 'cold';
}

export type AreaMatch = 'inside' | 'outside' | 'unknown';

/**
 * Whether a location the lead gave is in the service area: a case-insensitive substring match
 * either way against the listed places. A ZIP code or street address that names no listed place
 * is unknown, not outside: the list rarely names every ZIP of a town it covers.
 */
export function serviceAreaMatch(
  location: string | null | undefined,
  places: ReadonlyArray<string>,
): AreaMatch {
  const where = location?.trim().toLowerCase();
  if (!where) return 'unknown';
  if (places.length === 0) return 'inside';
  const hit = places.some((place) => {
    const p = place.trim().toLowerCase();
    return p.length > 0 && (where.includes(p) || p.includes(where));
  });
  if (hit) return 'inside';
  if (/^\d{5}(?:-\d{4})?$/.test(where) || /^\d{1,6}\s/.test(where)) return 'unknown';
  return 'outside';
}

const TIMING_WORDS: Readonly<Record<Qualification['timing'], string>> = {
  urgent: 'wants it today or as soon as possible',
  this_week: 'needs it this week',
  this_month: 'needs it this month',
  later: 'no rush / later',
  unknown: 'timing unknown',
};

const URGENCY_WORDS: Readonly<Record<Qualification['urgency'], string>> = {
  emergency: 'emergency: damage or danger now',
  urgent: 'urgent',
  normal: 'not urgent',
};

function signed(points: number): string {
  return points >= 0 ? `+${points}` : `${points}`;
}

/** Scores a lead 0-100 from what qualification found, explained line by line. */
export function scoreLead(args: {
  qualification: Qualification;
  conversation: ConversationFacts;
  profile: BusinessProfile;
}): LeadScore {
  const { qualification: q, conversation, profile } = args;
  const w = SCORE_WEIGHTS;

  if (q.intent === 'spam') return { score: 0, grade: 'cold', reasons: ['looks like spam (score 0)'] };
  if (q.intent === 'wrong_number') return { score: 0, grade: 'cold', reasons: ['wrong number (score 0)'] };
  if (q.intent === 'opt_out') return { score: 0, grade: 'cold', reasons: ['opted out (score 0)'] };

  let score = w.base;
  const reasons: string[] = [`enquiry (base ${w.base})`];
  const add = (points: number, why: string) => {
    if (points === 0) return;
    score += points;
    reasons.push(`${why} (${signed(points)})`);
  };

  const service = q.service
    ? profile.services.find((s) => s.name.toLowerCase() === q.service?.trim().toLowerCase())
    : undefined;
  if (service) add(w.serviceMatch, `asks for a service we offer: ${service.name}`);
  if (q.need) add(w.needStated, 'said what they need');
  add(w.timing[q.timing], TIMING_WORDS[q.timing]);
  add(w.urgency[q.urgency], URGENCY_WORDS[q.urgency]);
  if (q.budget) add(w.budgetGiven, `gave a budget (${q.budget})`);

  const area = serviceAreaMatch(q.location, profile.serviceArea.places);
  if (area === 'inside') add(w.insideServiceArea, 'inside the service area');
  if (area === 'outside') add(w.outsideServiceArea, 'outside the service area');

  if (q.wantsMeeting || q.slotChoice !== null) add(w.wantsMeeting, 'wants a meeting');
  if (q.name) add(w.nameGiven, 'gave their name');
  const hasEmail = conversation.hasEmail || q.email !== null;
  const hasPhone = conversation.hasPhone || q.phone !== null;
  if (hasEmail && hasPhone) add(w.phoneAndEmail, 'reachable by phone and email');

  const extraMessages = Math.max(0, conversation.inboundCount - 1);
  const engagement = Math.min(w.engagementCap, extraMessages * w.engagementPerMessage);
  add(engagement, `engaged: ${conversation.inboundCount} messages`);

  if (q.urgency === 'emergency' && score < w.emergencyFloor) {
    add(w.emergencyFloor - score, 'an emergency is hot whatever else is missing');
  }
  const clamped = Math.max(0, Math.min(100, Math.round(score)));
  // The reasons add up to the score before the cap, so a rep can check them.
  if (clamped !== Math.round(score))
    reasons.push(`capped at ${clamped} (reasons add up to ${Math.round(score)})`);
  return { score: clamped, grade: gradeFor(clamped), reasons };
}
