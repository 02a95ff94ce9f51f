import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createObservability } from '#shared/lambda/observability.ts';
import { cloudConsoleDeps } from '#shared/wiring/console.ts';
import { createConsoleRouter } from './router.ts';

const { logger } = createObservability('console-api');
// Built when the function loads: a bad business profile fails at once.
const router = createConsoleRouter({ ...cloudConsoleDeps(), mode: 'cloud', logger });

/** The console's read API behind the console HTTP API (JWT authorizer: the Cognito user pool). */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .handler((event, context) => router.resolve(event, context));
