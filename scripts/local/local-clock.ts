import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as z from 'zod';
import { clockOffsetMs, now, setClockOffset } from '#shared/clock.ts';
import type { SchedulerStandIn } from './scheduler-stand-in.ts';

/** The local runtime's clock: the pipeline's `now()` (`shared/clock.ts`), kept in the data folder. */
export interface LocalClock {
  now(): Date;
  /**
   * Moves the clock forward by `ms`: every timer now due fires (its event on the bus) and every
   * scheduled function runs once. Resolves when both are done; the pipeline then drains as usual.
   */
  advance(ms: number): Promise<{ now: string; offsetMs: number; fired?: number }>;
}

const OFFSET_FILE = 'clock.json';

/**
 * Opens the clock of a data folder: the offset a previous run left (so a restart does not send
 * time back), moved forward to `start` when that is later.
 */
export const openLocalClock = async (
  dataDir: string,
  start?: string,
): Promise<
  Omit<LocalClock, 'advance'> & { advance(ms: number): Promise<{ now: string; offsetMs: number }> }
> => {
  const file = join(dataDir, OFFSET_FILE);
  let offset = 0;
  try {
    offset = z
      .object({ offsetMs: z.number().nonnegative() })
      .parse(JSON.parse(await readFile(file, 'utf8'))).offsetMs;
  } catch {
    // No clock yet: real time.
  }
  if (start) {
    const wanted = Date.parse(start);
    if (Number.isNaN(wanted)) throw new Error(`clockStart is not an ISO 8601 time: ${start}`);
    offset = Math.max(offset, wanted - Date.now());
  }
  const save = async () => {
    const tmp = `${file}.${randomUUID()}.tmp`;
    await writeFile(tmp, JSON.stringify({ offsetMs: clockOffsetMs() }));
    await rename(tmp, file);
  };
  setClockOffset(offset);
  await save();
  return {
    now,
    advance: async (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward');
      setClockOffset(clockOffsetMs() + ms);
      await save();
      return { now: now().toISOString(), offsetMs: clockOffsetMs() };
    },
  };
};

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90m`, `1h30m`, `3d`, `45s` → milliseconds; undefined for anything else. */
export const parseDuration = (text: string): number | undefined => {
  const parts = [...text.trim().matchAll(/(\d+)\s*([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim().replace(/\s+/g, ''))
    return undefined;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS], 0);
};

const Duration = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration such as 90m, 1h30m or 3d' });
    return z.NEVER;
  }
  return ms;
});

const ClockMove = z.union([
  z.object({ advance: Duration }),
  z.object({ to: z.iso.datetime({ offset: true }) }),
]);

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
};

/**
 * `GET /local/clock`: the pipeline's time and the pending timers. `POST /local/clock` with
 * `{"advance": "1h"}` or `{"to": "2026-12-01T15:00:00Z"}`: moves it forward (never back), fires
 * what is due and runs the scheduled functions; the answer says what fired. False for other paths.
 */
export const handleClockRequest = async (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  clock: LocalClock,
  scheduler: Pick<SchedulerStandIn, 'list'>,
): Promise<boolean> => {
  if (path !== '/local/clock') return false;
  const view = () => ({
    now: clock.now().toISOString(),
    timers: scheduler.list().map((s) => ({
      name: s.Name,
      at: s.ScheduleExpression.slice(3, -1).concat('Z'),
      event: s.Target.EventBridgeParameters.DetailType,
    })),
  });
  if (req.method === 'GET' || req.method === 'HEAD') {
    json(res, 200, view());
    return true;
  }
  if (req.method !== 'POST') {
    json(res, 405, { message: 'GET the clock, or POST {"advance":"1h"} or {"to":"<ISO time>"}' });
    return true;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    json(res, 400, { message: 'The body is not JSON: send {"advance":"1h"} or {"to":"<ISO time>"}' });
    return true;
  }
  const move = ClockMove.safeParse(body);
  if (!move.success) {
    json(res, 400, { message: 'Send {"advance":"1h"} (s, m, h, d) or {"to":"<ISO time>"}' });
    return true;
  }
  const ms = 'advance' in move.data ? move.data.advance : Date.parse(move.data.to) - clock.now().getTime();
  if (ms < 0) {
    json(res, 409, { message: `The clock only moves forward: it is ${clock.now().toISOString()}` });
    return true;
  }
  const moved = await clock.advance(ms);
  json(res, 200, { ...view(), fired: moved.fired ?? 0 });
  return true;
};
