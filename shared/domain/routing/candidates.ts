import type { BusinessProfile, Rep } from '#shared/config/business-profile.ts';
import { servedPlacesIn } from '#shared/domain/understanding/location.ts';
import { isRepOn } from './availability.ts';

/** The narrowest non-empty list, trying each filter in turn; `all` when every filter leaves nobody. */
const firstNonEmpty = (all: readonly Rep[], ...filters: Array<(rep: Rep) => boolean>): Rep[] => {
  for (const filter of filters) {
    const kept = all.filter(filter);
    if (kept.length > 0) return kept;
  }
  return [...all];
};

export interface RoutingCandidates {
  /** The reps the lead may go to, best suited and on duty, in profile order. */
  reps: Rep[];
  /** Nobody suited is on duty: `reps` are the suited ones anyway (their alert waits for their hours unless urgent). */
  allOff: boolean;
}

/**
 * Who may take a lead, in this order (each step keeps the previous one's list when it would leave nobody):
 * 1. service: the reps who list the lead's service, else those who list none (generalists), else all;
 * 2. territory: of those, the ones whose `territory` names the lead's location (a town or ZIP code
 *    in the words the lead used: `servedPlacesIn`), else those without a territory, else all of step 1;
 *    an unknown location keeps step 1 whole;
 * 3. weight: reps with weight 0 take no leads;
 * 4. on duty now (`isRepOn`); when nobody is, the list stays and `allOff` says so.
 * Pure; the weighted round-robin among them is the rotation's (`rotation.ts`).
 */
export const routingCandidates = (
  profile: Pick<BusinessProfile, 'reps' | 'timeZone'>,
  lead: { service?: string | null | undefined; location?: string | null | undefined },
  now: Date,
): RoutingCandidates => {
  const service = lead.service?.toLowerCase();
  const bySkill = firstNonEmpty(
    profile.reps,
    (rep) => service !== undefined && rep.services.some((s) => s.toLowerCase() === service),
    (rep) => rep.services.length === 0,
  );
  const location = lead.location;
  const byPlace = location
    ? firstNonEmpty(
        bySkill,
        (rep) => servedPlacesIn(location, rep.territory).length > 0,
        (rep) => rep.territory.length === 0,
      )
    : bySkill;
  const taking = firstNonEmpty(byPlace, (rep) => rep.weight > 0);
  const on = taking.filter((rep) => isRepOn(rep, now, profile));
  return on.length > 0 ? { reps: on, allOff: false } : { reps: taking, allOff: true };
};
