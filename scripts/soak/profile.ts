import { type BusinessProfileInput, demoBusinessProfile } from '#shared/config/business-profile.ts';

/**
 * The business the soak runs: the demo plumber with two reps who take hot leads by text and a
 * manager, so routing's response clock runs (and times out: the soak's reps never answer) while
 * the clock is moved. Their numbers (555-09XX) are none of the soak's contacts (555-01XX).
 */
export const soakBusinessProfile: BusinessProfileInput = {
  ...demoBusinessProfile,
  reps: [
    { id: 'rep-dana', name: 'Dana Ortiz', notifyVia: 'sms', phone: '+15125550901', services: [] },
    { id: 'rep-sam', name: 'Sam Lee', notifyVia: 'sms', phone: '+15125550902', services: [], weight: 2 },
  ],
  routing: { responseMinutes: 5, manager: { name: 'Morgan', notifyVia: 'sms', phone: '+15125550909' } },
};

/**
 * How the soak moves the clock once the pipeline is quiet: past the reps' response clocks, every
 * step of the default follow-up cadence (1 h, next morning, 3 days), held texts, and the reminders
 * of meetings booked for the next days. Each step waits for quiet before the next.
 */
export const CLOCK_STEPS = ['10m', '1h', '6h', '6h', '6h', '6h', '1d', '1d', '1d', '1d'] as const;

/** The step after which the clock phase's SIGKILL comes: the first follow-ups fire (1 h), and are being processed. */
export const CLOCK_KILL_STEP = 1;
