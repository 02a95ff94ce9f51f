/**
 * Weighted round-robin: nginx's smooth weighted round-robin
 * (https://github.com/nginx/nginx/commit/52327e0627f49dbda1e8db695e63a4b0af4448b1): every pick
 * adds each candidate's weight to its running total, takes the highest (the first on a tie) and
 * takes the sum of the weights off the one taken. Weights 2 and 1 give A, B, A, A, B, A…, spread
 * out rather than in runs. The totals are kept per pool of candidates, so a rep who was off does
 * not come back owed a run of leads.
 */

export interface WeightedCandidate {
  repId: string;
  weight: number;
}

/** A pool's running totals by rep id. */
export type RotationTotals = Readonly<Record<string, number>>;

/** The pool's key: its members, sorted (the same reps are the same pool whatever the order). */
export const poolKey = (candidates: readonly WeightedCandidate[]): string =>
  candidates
    .map((c) => c.repId)
    .sort()
    .join(',');

/**
 * One pick from `candidates` (at least one; weights ≥ 0, all zero counts as all one) given the
 * pool's totals; returns the rep and the pool's new totals. Pure.
 * @throws Error when there is no candidate
 */
export const pickWeighted = (
  candidates: readonly WeightedCandidate[],
  totals: RotationTotals,
): { repId: string; totals: Record<string, number> } => {
  if (candidates.length === 0) throw new Error('No rep to pick from');
  const allZero = candidates.every((c) => c.weight <= 0);
  const weightOf = (c: WeightedCandidate) => (allZero ? 1 : Math.max(0, c.weight));
  const sum = candidates.reduce((total, c) => total + weightOf(c), 0);
  const next: Record<string, number> = {};
  let best: WeightedCandidate | undefined;
  for (const c of candidates) {
    next[c.repId] = (totals[c.repId] ?? 0) + weightOf(c);
    if (!best || next[c.repId]! > next[best.repId]!) best = c;
  }
  next[best!.repId]! -= sum;
  return { repId: best!.repId, totals: next };
};

/**
 * The rep whose turn `turn` (0, 1, 2… the pool's running count of picks) is in the pool's smooth
 * weighted round-robin: the `turn`-th pick of `pickWeighted` from empty totals. With whole weights
 * the sequence repeats every sum of weights (at most 100 per rep), so a counter alone decides it:
 * no totals to read and write back, nothing for concurrent picks to conflict on. Pure.
 * @throws Error when there is no candidate
 */
export const repForTurn = (candidates: readonly WeightedCandidate[], turn: number): string => {
  if (candidates.length === 0) throw new Error('No rep to pick from');
  const allZero = candidates.every((c) => c.weight <= 0);
  const period = allZero ? candidates.length : candidates.reduce((sum, c) => sum + Math.max(0, c.weight), 0);
  let totals: RotationTotals = {};
  let repId = '';
  for (let step = 0; step <= turn % period; step++) ({ repId, totals } = pickWeighted(candidates, totals));
  return repId;
};
