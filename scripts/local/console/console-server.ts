import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import * as z from 'zod';
import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoLeadDirectory } from '#shared/adapters/aws/dynamo-lead-directory.ts';
import { DynamoLeadHistory } from '#shared/adapters/aws/dynamo-lead-history.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { readEnv } from '#shared/config/env.ts';
import { readBusinessProfile, readIdentitySettings } from '#shared/config/settings.ts';
import {
  leadIdForContact,
  normaliseContact,
  normalisePhone,
  parseEmailAddress,
} from '#shared/domain/contact.ts';
import { buildConsole, type ConsoleFile } from '../../../console/build.ts';
import { createConsoleRouter } from '../../../functions/console-api/router.ts';
import { inboundEmailRequest, signedSmsRequest } from '../../lib/webhook-requests.ts';
import { readBody, toHttpApiEvent, writeHttpApiResult } from '../api-gateway.ts';
import { LOCAL_REGION } from '../aws-stand-ins.ts';
import type { DurableQueue } from '../durable-queue.ts';
import { lambdaContext } from '../lambda-context.ts';
import type { LiveUpdates } from './live-updates.ts';
import { LocalQueueHealth } from './local-queue-health.ts';

/**
 * Who the local console's API calls run as. In the cloud, API Gateway's JWT authorizer puts the
 * verified caller here; locally the runtime answers its own machine (it listens on loopback unless
 * HOST says otherwise), as an operator.
 */
const LOCAL_CALLER = { sub: 'local', 'cognito:username': 'you (local)', 'cognito:groups': '[operators]' };

const SimulatedSms = z.object({
  from: z.string().trim().min(1).max(40),
  body: z.string().min(1).max(1600),
});
const SimulatedEmail = z.object({
  from: z.string().trim().min(3).max(320),
  subject: z.string().max(998).default(''),
  body: z.string().min(1).max(100_000),
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
};

/** Parses a JSON request body with its schema; undefined after answering 400 with the reasons. */
const readJson = async <S extends z.ZodType>(req: IncomingMessage, res: ServerResponse, schema: S) => {
  let raw: unknown;
  try {
    raw = JSON.parse((await readBody(req, 1024 * 1024)).toString('utf8'));
  } catch {
    json(res, 400, { message: 'Expected a JSON body' });
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    json(res, 400, {
      message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
    return undefined;
  }
  return parsed.data as z.infer<S>;
};

/** The webhook's answer to a simulated message, and the lead it concerns. */
const forward = async (res: ServerResponse, contact: string, request: { url: string; init: RequestInit }) => {
  const response = await fetch(request.url, request.init);
  const text = (await response.text()).trim();
  json(res, 200, {
    leadId: leadIdForContact(contact),
    contact,
    status: response.status,
    ...(!response.ok && { message: text }),
  });
};

export interface LocalConsole {
  /** Changes the browser should hear about (server-sent events). */
  live: LiveUpdates;
  /** Answers a console request; false when the path is not the console's. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
}

/**
 * The console on the local runtime: the browser app at `/` (built in memory on first visit), the
 * read API at `/api/*` (the cloud's own router, fed API Gateway events as the webhooks are), live
 * updates at `/local/live`, and, locally only, a simulated phone and mailbox that write to the
 * business through its real webhooks (`/local/simulate/sms`, `/local/simulate/email`).
 */
export const createLocalConsole = (options: {
  live: LiveUpdates;
  tableName: string;
  queues: ReadonlyMap<string, { queue: DurableQueue; deadLetter: DurableQueue }>;
  /** Where this runtime listens: the simulated messages are posted here. */
  url: string;
  /** The URL Twilio would sign (a tunnel's, when set). */
  publicBaseUrl: string;
}): LocalConsole => {
  const { live } = options;
  // A message reaches a dead-letter queue on a later receive, with no function running: say so too.
  for (const [subscriber, { deadLetter }] of options.queues) {
    deadLetter.subscribe(() => live.publish({ type: 'dead-letter', subscriber }));
  }
  let files: Promise<Map<string, ConsoleFile>> | undefined;
  const consoleFiles = () =>
    (files ??= buildConsole().then((built) => new Map(built.map((file) => [file.path, file]))));
  // Built on first use: the SDK clients must see the endpoints the runtime sets up first.
  let router: ReturnType<typeof createConsoleRouter> | undefined;
  const consoleRouter = () => {
    if (!router) {
      const documents = documentClient();
      router = createConsoleRouter({
        directory: new DynamoLeadDirectory(documents, options.tableName),
        store: new DynamoLeadStore(documents, options.tableName),
        history: new DynamoLeadHistory(documents, options.tableName),
        queues: new LocalQueueHealth(options.queues, (subscriber) =>
          live.publish({ type: 'redrive', subscriber }),
        ),
        profile: readBusinessProfile(),
        mode: 'local',
      });
    }
    return router;
  };

  const serveFile = async (res: ServerResponse, path: string) => {
    const file = (await consoleFiles()).get(path === '/' ? '/index.html' : path);
    if (!file) return false;
    res.writeHead(200, {
      'content-type': file.contentType,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store',
      'x-content-type-options': 'nosniff',
      ...(file.path === '/index.html' && {
        'content-security-policy':
          "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'",
      }),
    });
    res.end(file.body);
    return true;
  };

  const serveApi = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const event = toHttpApiEvent(req, await readBody(req), `${req.method} ${path}`);
    const authorized: APIGatewayProxyEventV2WithJWTAuthorizer = {
      ...event,
      requestContext: {
        ...event.requestContext,
        authorizer: {
          principalId: LOCAL_CALLER.sub,
          integrationLatency: 0,
          jwt: { claims: LOCAL_CALLER, scopes: [] },
        },
      },
    };
    const result = await consoleRouter().resolve(
      authorized,
      lambdaContext({
        functionName: 'leadline-console-api',
        timeoutSeconds: 10,
        memoryMb: 512,
        region: LOCAL_REGION,
      }),
    );
    writeHttpApiResult(res, result);
  };

  const simulateSms = async (req: IncomingMessage, res: ServerResponse) => {
    const input = await readJson(req, res, SimulatedSms);
    if (!input) return;
    const from = normalisePhone(input.from);
    if (!from) return json(res, 400, { message: `from: "${input.from}" is not a phone number` });
    const { TWILIO_AUTH_TOKEN } = readEnv({ TWILIO_AUTH_TOKEN: z.string().min(1) });
    const path = '/webhooks/twilio/sms';
    await forward(
      res,
      from,
      signedSmsRequest({
        publicUrl: `${options.publicBaseUrl.replace(/\/$/, '')}${path}`,
        targetUrl: `${options.url}${path}`,
        authToken: TWILIO_AUTH_TOKEN,
        from,
        to: readIdentitySettings().BUSINESS_SMS_NUMBER,
        body: input.body,
      }),
    );
  };

  const simulateEmail = async (req: IncomingMessage, res: ServerResponse) => {
    const input = await readJson(req, res, SimulatedEmail);
    if (!input) return;
    const sender = parseEmailAddress(input.from);
    if (!sender) return json(res, 400, { message: `from: "${input.from}" is not an email address` });
    const { INBOUND_EMAIL_BASIC_AUTH } = readEnv({ INBOUND_EMAIL_BASIC_AUTH: z.string().min(3) });
    await forward(
      res,
      sender.address,
      inboundEmailRequest({
        url: `${options.url}/webhooks/sendgrid/inbound`,
        basicAuth: INBOUND_EMAIL_BASIC_AUTH,
        from: input.from,
        to: readIdentitySettings().BUSINESS_EMAIL_FROM,
        subject: input.subject,
        text: input.body,
      }),
    );
  };

  return {
    live,
    handle: async (req, res, path) => {
      const method = req.method ?? 'GET';
      if (path.startsWith('/api/')) {
        await serveApi(req, res, path);
        return true;
      }
      if (path === '/config.json') {
        json(res, 200, { mode: 'local' });
        return true;
      }
      if (path === '/local/live' && method === 'GET') {
        live.subscribe(req, res);
        return true;
      }
      if (path === '/local/simulate/sms' && method === 'POST') {
        await simulateSms(req, res);
        return true;
      }
      if (path === '/local/simulate/email' && method === 'POST') {
        await simulateEmail(req, res);
        return true;
      }
      const contactMatch = /^\/local\/contacts\/([^/]+)$/.exec(path);
      if (contactMatch && method === 'GET') {
        const contact = normaliseContact(decodeURIComponent(contactMatch[1]!));
        if (!contact) json(res, 400, { message: 'Not a phone number or email address' });
        else json(res, 200, { contact: contact.value, leadId: leadIdForContact(contact.value) });
        return true;
      }
      if ((method === 'GET' || method === 'HEAD') && (path === '/' || path.startsWith('/assets/'))) {
        return serveFile(res, path);
      }
      return false;
    },
  };
};
