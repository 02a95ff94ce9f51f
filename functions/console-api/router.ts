import type { GenericLogger } from '@aws-lambda-powertools/commons/types';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  Router,
  UnauthorizedError,
} from '@aws-lambda-powertools/event-handler/http';
import * as z from 'zod';
import { LeadListQuery } from '#shared/console/lead-row.ts';
import { type ConsoleDeps, leadDetail, listLeads, pipelineHealth } from '#shared/console/read-console.ts';
import type { Session } from '#shared/console/views.ts';
import { InvalidCursorError } from '#shared/ports/lead-directory.ts';
import { UnknownSubscriberError } from '#shared/ports/queue-health.ts';
import { OPERATORS_GROUP, verifiedCaller } from './caller.ts';

const PipelineQuery = z.object({ hours: z.coerce.number().int().min(1).max(168).default(24) });

/** Parses a query string with its schema; a bad value is a 400 naming the field. */
const parseQuery = <S extends z.ZodType>(schema: S, url: string): z.infer<S> => {
  const parsed = schema.safeParse(Object.fromEntries(new URL(url).searchParams));
  if (!parsed.success) {
    throw new BadRequestError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
};

/** A JSON answer (our view types are interfaces, which the router's JSON type does not take). */
const json = (body: unknown) => Response.json(body);

/**
 * The console's read API (Powertools event handler's HTTP router), the same locally and in the
 * cloud: the lead list, a lead with its conversation and timeline, the pipeline's health, and one
 * action, redriving a dead-letter queue (operators only). Every route needs a caller verified by
 * API Gateway's JWT authorizer: without one the answer is 401, whatever the route.
 */
export const createConsoleRouter = (
  deps: ConsoleDeps & { mode: Session['mode']; logger?: GenericLogger },
) => {
  const router = new Router({ ...(deps.logger && { logger: deps.logger }) });

  router.use(async ({ reqCtx, next }) => {
    if (!verifiedCaller(reqCtx.event)) throw new UnauthorizedError('Sign in to use the Leadline console');
    await next();
  });

  router.errorHandler(InvalidCursorError, async (error) => new BadRequestError(error.message).toJSON());
  router.errorHandler(UnknownSubscriberError, async (error) => new NotFoundError(error.message).toJSON());

  router.get('/api/session', ({ event }) => {
    const caller = verifiedCaller(event)!;
    const session: Session = {
      user: caller.name,
      canRedrive: caller.groups.includes(OPERATORS_GROUP),
      mode: deps.mode,
    };
    return json(session);
  });

  router.get('/api/leads', async ({ req }) =>
    json(await listLeads(deps, parseQuery(LeadListQuery, req.url))),
  );

  router.get('/api/leads/:leadId', async ({ params }) => {
    const detail = await leadDetail(deps, params.leadId!);
    if (!detail) throw new NotFoundError(`No lead ${params.leadId}`);
    return json(detail);
  });

  router.get('/api/pipeline', async ({ req }) =>
    json(await pipelineHealth(deps, parseQuery(PipelineQuery, req.url).hours)),
  );

  router.post('/api/queues/:subscriber/redrive', async ({ event, params }) => {
    if (!verifiedCaller(event)!.groups.includes(OPERATORS_GROUP)) {
      throw new ForbiddenError(`Only members of the "${OPERATORS_GROUP}" group may redrive`);
    }
    return json(await deps.queues.redrive(params.subscriber!));
  });

  return router;
};
