import type { BusinessProfile, Rep } from '#shared/config/business-profile.ts';

/**
 * The rep who owns a lead: the first one who handles its service, else the first generalist
 * (no services listed), else the first rep.
 */
export const assignRep = (profile: BusinessProfile, service: string | null | undefined): Rep => {
  const wanted = service?.toLowerCase();
  const specialist = wanted
    ? profile.reps.find((rep) => rep.services.some((s) => s.toLowerCase() === wanted))
    : undefined;
  const rep = specialist ?? profile.reps.find((r) => r.services.length === 0) ?? profile.reps[0];
  if (!rep) throw new Error('The business profile has no reps');
  return rep;
};
