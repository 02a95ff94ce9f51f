/**
 * The time the pipeline acts on: real time, shifted by an offset only the local runtime sets
 * (`npm start`'s `POST /local/clock`, the tests' `runtime.clock`), so a follow-up cadence, a
 * reminder or a rep's response clock can be played out without waiting. Nothing in the cloud sets
 * it: there `now()` is `new Date()`.
 *
 * The state lives on `globalThis` so every copy of this module in one process (the runtime and
 * the handlers it imports) reads the same clock.
 */
const KEY = Symbol.for('leadline.clock');
const shared = globalThis as Record<symbol, { offsetMs: number } | undefined>;
shared[KEY] ??= { offsetMs: 0 };
const state = shared[KEY];

/** The current instant as the pipeline sees it. */
export const now = (): Date => new Date(Date.now() + state.offsetMs);

/** How far the clock runs ahead of real time, in milliseconds (0 unless the local runtime moved it). */
export const clockOffsetMs = (): number => state.offsetMs;

/**
 * Sets how far ahead of real time the clock runs (milliseconds, never negative: time only moves
 * forward). For the local runtime; a deployed function never calls it.
 * @throws RangeError for a negative or non-finite offset
 */
export const setClockOffset = (offsetMs: number): void => {
  if (!Number.isFinite(offsetMs) || offsetMs < 0) throw new RangeError(`clock offset ${offsetMs} ms`);
  state.offsetMs = offsetMs;
};
