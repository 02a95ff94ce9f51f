/**
 * A loopback EventBridge Scheduler for the real `@aws-sdk/client-scheduler` (REST-JSON:
 * `POST /schedules/{Name}` CreateSchedule, `DELETE` DeleteSchedule, `GET` GetSchedule and
 * `GET /schedules` ListSchedules). It keeps one-time `at(...)` schedules whose target is an
 * EventBridge bus, a file each under its folder (so a restart loses none), and fires each once
 * the pipeline's clock (`shared/clock.ts`, which `POST /local/clock` moves) reaches its time: the
 * target's `Input` goes on the bus with its `EventBridgeParameters`, then the schedule is deleted
 * (`ActionAfterCompletion: DELETE`). A target that fails is retried on the next tick, as Scheduler
 * retries. Signatures are not checked.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as z from 'zod';
import { now } from '#shared/clock.ts';
import type { EventBridgeEnvelope } from './eventbridge-stand-in.ts';

const StoredSchedule = z.object({
  Name: z.string().regex(/^[0-9A-Za-z_.-]{1,64}$/),
  GroupName: z.string().default('default'),
  ScheduleExpression: z.string().regex(/^at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/, 'only at(...) is supported'),
  ScheduleExpressionTimezone: z.literal('UTC').default('UTC'),
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']).default('NONE'),
  Target: z.object({
    Arn: z.string().min(1),
    RoleArn: z.string().min(1),
    Input: z.string().default('{}'),
    EventBridgeParameters: z.object({ Source: z.string().min(1), DetailType: z.string().min(1) }),
  }),
});
export type StoredSchedule = z.infer<typeof StoredSchedule>;

/** When an `at(...)` schedule fires (its expression is in UTC). */
export const firesAt = (schedule: Pick<StoredSchedule, 'ScheduleExpression'>): Date =>
  new Date(`${schedule.ScheduleExpression.slice(3, -1)}Z`);

export interface SchedulerStandIn {
  readonly server: Server;
  readonly url: string;
  /** The pending schedules, soonest first. */
  list(): StoredSchedule[];
  /** Fires every schedule due by the pipeline's clock; resolves once their events are on the bus. */
  fireDue(): Promise<number>;
  close(): Promise<void>;
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const send = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType && { 'x-amzn-errortype': errorType }),
  });
  res.end(JSON.stringify(body));
};

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
};

export async function startSchedulerStandIn(options: {
  dir: string;
  /** Puts the fired events on the bus; a throw keeps the schedule for the next tick. */
  onEvents: (envelopes: EventBridgeEnvelope[]) => Promise<void>;
  region: string;
  account?: string;
  /** How often due schedules are looked for (ms of real time). */
  tickMs?: number;
  logger?: (message: string, error: unknown) => void;
}): Promise<SchedulerStandIn> {
  await mkdir(options.dir, { recursive: true });
  const schedules = new Map<string, StoredSchedule>();
  for (const file of await readdir(options.dir)) {
    if (!file.endsWith('.json')) continue;
    const parsed = StoredSchedule.safeParse(JSON.parse(await readFile(join(options.dir, file), 'utf8')));
    if (parsed.success) schedules.set(parsed.data.Name, parsed.data);
  }
  const account = options.account ?? '000000000000';
  const fileOf = (name: string) => join(options.dir, `${name}.json`);
  const save = async (schedule: StoredSchedule) => {
    const tmp = `${fileOf(schedule.Name)}.${randomUUID()}.tmp`;
    await writeFile(tmp, JSON.stringify(schedule));
    await rename(tmp, fileOf(schedule.Name));
  };
  const remove = async (name: string) => {
    schedules.delete(name);
    await rm(fileOf(name), { force: true });
  };

  const handle = async (req: IncomingMessage): Promise<unknown> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/schedules(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) throw new AwsError('ValidationException', `No operation at ${url.pathname}`, 404);
    const name = match[1] ? decodeURIComponent(match[1]) : undefined;
    if (!name) return { Schedules: [...schedules.values()].map((s) => ({ Name: s.Name })) };
    const existing = schedules.get(name);
    switch (req.method) {
      case 'POST': {
        const parsed = StoredSchedule.safeParse({ ...((await readJson(req)) as object), Name: name });
        if (!parsed.success) throw new AwsError('ValidationException', z.prettifyError(parsed.error), 400);
        if (existing) throw new AwsError('ConflictException', `Schedule ${name} already exists.`, 409);
        schedules.set(name, parsed.data);
        await save(parsed.data);
        return {
          ScheduleArn: `arn:aws:scheduler:${options.region}:${account}:schedule/${parsed.data.GroupName}/${name}`,
        };
      }
      case 'DELETE':
        if (!existing)
          throw new AwsError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
        await remove(name);
        return {};
      case 'GET':
        if (!existing)
          throw new AwsError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
        return existing;
      default:
        throw new AwsError('ValidationException', `Method ${req.method} is not supported`, 405);
    }
  };

  const server = createServer((req, res) => {
    handle(req).then(
      (body) => send(res, 200, body),
      (error: unknown) => {
        if (error instanceof AwsError) return send(res, error.status, { Message: error.message }, error.type);
        (options.logger ?? console.error)('Scheduler stand-in failed', error);
        send(res, 500, { Message: 'internal error' }, 'InternalServerException');
      },
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;

  let firing: Promise<number> | undefined;
  const fire = async (): Promise<number> => {
    const instant = now();
    const due = [...schedules.values()]
      .filter((s) => firesAt(s).getTime() <= instant.getTime())
      .sort((a, b) => firesAt(a).getTime() - firesAt(b).getTime());
    let fired = 0;
    for (const schedule of due) {
      const { Target } = schedule;
      try {
        await options.onEvents([
          {
            version: '0',
            id: randomUUID(),
            'detail-type': Target.EventBridgeParameters.DetailType,
            source: Target.EventBridgeParameters.Source,
            account,
            time: instant.toISOString().replace(/\.\d{3}Z$/, 'Z'),
            region: options.region,
            resources: [
              `arn:aws:scheduler:${options.region}:${account}:schedule/${schedule.GroupName}/${schedule.Name}`,
            ],
            detail: JSON.parse(Target.Input) as Record<string, unknown>,
          },
        ]);
      } catch (error) {
        (options.logger ?? console.error)(`Schedule ${schedule.Name} could not publish; retried`, error);
        continue;
      }
      fired += 1;
      // A one-time schedule never fires again; with `DELETE` (all Leadline sets) it is gone, as in AWS.
      await remove(schedule.Name);
    }
    return fired;
  };
  // One firing at a time: a tick and a clock advance never publish one schedule twice.
  const fireDue = async (): Promise<number> => {
    while (firing) await firing.catch(() => undefined);
    firing = fire();
    try {
      return await firing;
    } finally {
      firing = undefined;
    }
  };
  const timer = setInterval(() => void fireDue().catch(() => undefined), options.tickMs ?? 1000);

  return {
    server,
    url: `http://127.0.0.1:${port}`,
    list: () => [...schedules.values()].sort((a, b) => firesAt(a).getTime() - firesAt(b).getTime()),
    fireDue,
    close: async () => {
      clearInterval(timer);
      while (firing) await firing.catch(() => undefined);
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
