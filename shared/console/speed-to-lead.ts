import type { Lead } from '#shared/ports/lead-store.ts';
import { speedToLeadMs } from './lead-row.ts';
import type { SpeedToLeadPoint } from './views.ts';

const HOUR_MS = 3_600_000;

const median = (sorted: readonly number[]): number => {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Speed to lead hour by hour over the last `hours` (the current hour included), for the leads
 * first answered in each hour: how many, the median and the worst time from first message to
 * first reply. Hours are UTC hour starts; an hour without answered leads has `leads: 0`.
 */
export const speedToLeadByHour = (leads: readonly Lead[], hours: number, now: Date): SpeedToLeadPoint[] => {
  const currentHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const first = currentHour - (hours - 1) * HOUR_MS;
  const buckets = Array.from({ length: hours }, () => [] as number[]);
  for (const lead of leads) {
    const ms = speedToLeadMs(lead);
    if (ms === undefined || !lead.firstReplyAt) continue;
    const index = Math.floor((Date.parse(lead.firstReplyAt) - first) / HOUR_MS);
    if (index >= 0 && index < hours) buckets[index]!.push(ms);
  }
  return buckets.map((values, index) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      hour: new Date(first + index * HOUR_MS).toISOString(),
      leads: sorted.length,
      ...(sorted.length > 0 && { medianMs: median(sorted), worstMs: sorted.at(-1)! }),
    };
  });
};
