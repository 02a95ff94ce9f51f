import * as z from 'zod';
import rawAreaCodes from './data/nanp-area-codes.json' with { type: 'json' };

/** Where a lead's local time was read from, best first. */
export type LocalTimeSource = 'area-code' | 'carrier-state' | 'business';

/**
 * Where a lead may be, for quiet hours and calling windows: every IANA zone its signal allows
 * (an area code or a state may span zones: a send must be quiet-safe in all of them), and the
 * regions (ISO 3166-2, "US-FL", "CA-ON") whose calling rules apply.
 */
export interface LeadLocalTime {
  zones: string[];
  regions: string[];
  source: LocalTimeSource;
}

const data = z
  .object({
    nonGeographic: z.array(z.string().regex(/^\d{3}$/)),
    regions: z.record(z.string(), z.object({ name: z.string(), country: z.enum(['US', 'CA']) })),
    areaCodes: z.record(
      z.string().regex(/^\d{3}$/),
      z.object({ region: z.string(), zones: z.array(z.string()).min(1), note: z.string().optional() }),
    ),
  })
  .parse(rawAreaCodes);

/** Every zone any area code of a region may be in: the candidates when only the state is known. */
const regionZones = new Map<string, string[]>();
for (const { region, zones } of Object.values(data.areaCodes)) {
  if (!(region in data.regions)) throw new Error(`area codes: unknown region "${region}"`);
  const known = regionZones.get(region) ?? [];
  regionZones.set(region, [...known, ...zones.filter((zone) => !known.includes(zone))]);
}

/** Region by its name or short code, as Twilio's `FromState` carries it ("TX", "Texas", "ON"). */
const regionByName = new Map<string, string>();
for (const [id, { name }] of Object.entries(data.regions)) {
  const short = id.split('-')[1];
  if (short && !regionByName.has(short.toLowerCase())) regionByName.set(short.toLowerCase(), id);
  regionByName.set(name.toLowerCase(), id);
}
for (const [alias, id] of [
  ['washington dc', 'US-DC'],
  ['washington d.c.', 'US-DC'],
  ['virgin islands', 'US-VI'],
  ['us virgin islands', 'US-VI'],
  ['nova scotia', 'CA-NS'],
  ['prince edward island', 'CA-NS'],
  ['pe', 'CA-NS'],
  ['yukon', 'CA-NT'],
  ['yt', 'CA-NT'],
  ['nunavut', 'CA-NT'],
  ['nu', 'CA-NT'],
  ['northwest territories', 'CA-NT'],
] as const) {
  regionByName.set(alias, id);
}

/** The region (ISO 3166-2) a state or province name or code stands for, or undefined. */
export function regionOfState(state: string): string | undefined {
  return regionByName.get(state.trim().replace(/\s+/g, ' ').toLowerCase());
}

/** The area code entry of a NANP number in E.164 (+1NPANXXXXXX), or undefined. */
export function areaCodeOf(phone: string): { code: string; region: string; zones: string[] } | undefined {
  const code = /^\+1(\d{3})\d{7}$/.exec(phone)?.[1];
  const entry = code ? data.areaCodes[code] : undefined;
  return code && entry ? { code, region: entry.region, zones: entry.zones } : undefined;
}

/**
 * Where a lead may be, from the best signal there is (shared/FACTS.md: the area code is more
 * precise than the state): the phone's NANP area code (`data/nanp-area-codes.json`), else the
 * state the carrier reports (Twilio `FromState`; every zone of that state), else the business's
 * own zone. The carrier's state, when it names another region than the area code (a ported
 * number), adds that region's calling rules: the stricter applies.
 */
export function localTimeFor(signals: {
  phone?: string | undefined;
  fromState?: string | undefined;
  businessTimeZone: string;
}): LeadLocalTime {
  const areaCode = signals.phone ? areaCodeOf(signals.phone) : undefined;
  const stateRegion = signals.fromState ? regionOfState(signals.fromState) : undefined;
  if (areaCode) {
    const regions = [
      areaCode.region,
      ...(stateRegion && stateRegion !== areaCode.region ? [stateRegion] : []),
    ];
    return { zones: areaCode.zones, regions, source: 'area-code' };
  }
  const stateZones = stateRegion ? regionZones.get(stateRegion) : undefined;
  if (stateRegion && stateZones)
    return { zones: stateZones, regions: [stateRegion], source: 'carrier-state' };
  return { zones: [signals.businessTimeZone], regions: [], source: 'business' };
}

const RANK: Readonly<Record<LocalTimeSource, number>> = { business: 1, 'carrier-state': 2, 'area-code': 3 };

/**
 * The local time to keep: `next` when it comes from a better signal than `current` (a phone
 * learnt after an email), else `current`. A lead recorded before local times existed has none.
 */
export function betterLocalTime(current: LeadLocalTime | undefined, next: LeadLocalTime): LeadLocalTime {
  return !current || RANK[next.source] > RANK[current.source] ? next : current;
}
