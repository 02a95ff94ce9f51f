import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeRequest, HttpFake } from '../fakes/http-fake.ts';

/**
 * The deployed console API's handler, as Lambda runs it, with DynamoDB, SQS and CloudWatch at
 * loopback fakes: without a caller verified by API Gateway's JWT authorizer, nothing is read.
 */
let aws: HttpFake;
let handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const target = (r: FakeRequest) => String(r.headers['x-amz-target']);

const event = (method: string, path: string, claims?: Record<string, string>): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'console.example', accept: 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'console.example',
      domainPrefix: 'console',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '21/Nov/2026:15:04:05 +0000',
      timeEpoch: 0,
      ...(claims && { authorizer: { jwt: { claims, scopes: [] }, principalId: '', integrationLatency: 0 } }),
    },
    isBase64Encoded: false,
  }) as APIGatewayProxyEventV2;

const context = { functionName: 'leadline-console-api', awsRequestId: 'r1' } as Context;

beforeAll(async () => {
  aws = await HttpFake.start();
  aws.route('POST', /.*/, (request) => {
    const json = (body: unknown) => ({
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body,
    });
    if (target(request) === 'DynamoDB_20120810.Query') return json({ Items: [], Count: 0 });
    return { status: 400, body: { __type: 'UnexpectedCall' } };
  });
  stubLambdaEnvironment();
  ({ handler } = await import('../../functions/console-api/handler.ts'));
});
// The environment the stack gives the function (vitest restores the environment after each test).
const stubLambdaEnvironment = () => {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  for (const service of ['DYNAMODB', 'SQS', 'CLOUDWATCH']) vi.stubEnv(`AWS_ENDPOINT_URL_${service}`, aws.url);
  vi.stubEnv('LEADS_TABLE_NAME', 'leadline-leads');
  vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'leadline-idempotency');
  vi.stubEnv('EVENT_BUS_NAME', 'leadline');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
};
beforeEach(() => {
  aws.reset();
  stubLambdaEnvironment();
});
afterAll(async () => {
  await aws.close();
});

describe('the console API in the cloud', () => {
  it.each([
    ['GET', '/api/session'],
    ['GET', '/api/leads'],
    ['GET', '/api/leads/ld_0123456789abcdef0123'],
    ['GET', '/api/pipeline'],
    ['POST', '/api/queues/notify/redrive'],
    ['GET', '/api/no-such-route'],
  ])('refuses %s %s without a verified caller, reading nothing', async (method, path) => {
    const response = await handler(event(method, path), context);
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({
      message: 'Sign in to use the Leadline console',
    });
    expect(aws.requests).toHaveLength(0);
  });

  it('lists leads for a signed-in user through the leads-by-activity index, not a scan', async () => {
    const response = await handler(
      event('GET', '/api/leads', { sub: 'user-1', email: 'owner@example.com' }),
      context,
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ leads: [] });
    expect(aws.requests.map(target)).toEqual(['DynamoDB_20120810.Query']);
    expect(aws.requests[0]?.body).toMatchObject({
      TableName: 'leadline-leads',
      IndexName: 'leadsByActivity',
      ScanIndexForward: false,
    });
  });

  it('lets only operators redrive', async () => {
    const response = await handler(event('POST', '/api/queues/notify/redrive', { sub: 'rep-1' }), context);
    expect(response.statusCode).toBe(403);
    expect(aws.requests).toHaveLength(0);
  });
});
