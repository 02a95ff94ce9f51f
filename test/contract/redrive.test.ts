import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deadLetterQueueName, queueName } from '../../infra/names.ts';
import { UsageError } from '../../scripts/lib/cli.ts';
import { parseArguments, redriveInAws } from '../../scripts/redrive.ts';
import { type FakeRequest, HttpFake } from '../fakes/http-fake.ts';

const ACCOUNT = '123456789012';
const arnOf = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

describe('npm run redrive in AWS (the real SQS client against a loopback SQS)', () => {
  let sqs: HttpFake;
  let client: SQSClient;
  let deadLettered = 3;
  const target = (r: FakeRequest) => String(r.headers['x-amz-target']).replace('AmazonSQS.', '');
  const sent = (operation: string) => sqs.requests.filter((r) => target(r) === operation);

  beforeAll(async () => {
    sqs = await HttpFake.start();
    sqs.route('POST', /.*/, (request) => {
      const body = request.body as Record<string, unknown>;
      const json = (payload: unknown) => ({
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: payload,
      });
      switch (target(request)) {
        case 'GetQueueUrl':
          return json({ QueueUrl: `${sqs.url}/${ACCOUNT}/${body.QueueName}` });
        case 'GetQueueAttributes': {
          const name = String(body.QueueUrl).split('/').pop()!;
          const depth = name.endsWith('-dlq') ? deadLettered : 0;
          return json({ Attributes: { QueueArn: arnOf(name), ApproximateNumberOfMessages: String(depth) } });
        }
        case 'StartMessageMoveTask':
          return json({ TaskHandle: 'task-1' });
        case 'ListMessageMoveTasks':
          return json({
            Results: [
              {
                Status: 'COMPLETED',
                ApproximateNumberOfMessagesMoved: deadLettered,
                SourceArn: body.SourceArn,
              },
            ],
          });
        default:
          return { status: 400, body: { __type: 'InvalidAction' } };
      }
    });
    client = new SQSClient({
      endpoint: sqs.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    });
  });
  beforeEach(() => {
    sqs.reset();
    deadLettered = 3;
  });
  afterAll(async () => {
    client.destroy();
    await sqs.close();
  });

  it("starts a message-move task from the subscriber's DLQ to its queue, found by the stack's names", async () => {
    const outcome = await redriveInAws({ subscriber: 'notify', client, maxPerSecond: 10 });

    expect(
      sent('GetQueueUrl')
        .map((r) => (r.body as { QueueName: string }).QueueName)
        .sort(),
    ).toEqual([queueName('notify'), deadLetterQueueName('notify')].sort());
    expect(sent('StartMessageMoveTask').map((r) => r.body)).toEqual([
      {
        SourceArn: arnOf(deadLetterQueueName('notify')),
        DestinationArn: arnOf(queueName('notify')),
        MaxNumberOfMessagesPerSecond: 10,
      },
    ]);
    expect(outcome).toEqual({ subscriber: 'notify', messages: 3, taskHandle: 'task-1' });
  });

  it('follows the task to its end with --wait', async () => {
    const outcome = await redriveInAws({ subscriber: 'qualify', client, wait: true, pollMs: 1 });
    expect(sent('ListMessageMoveTasks')[0]?.body).toMatchObject({
      SourceArn: arnOf(deadLetterQueueName('qualify')),
    });
    expect(outcome).toMatchObject({ status: 'COMPLETED', moved: 3 });
  });

  it('starts nothing when the DLQ is empty', async () => {
    deadLettered = 0;
    const outcome = await redriveInAws({ subscriber: 'score', client });
    expect(sent('StartMessageMoveTask')).toHaveLength(0);
    expect(outcome.messages).toBe(0);
  });
});

describe('npm run redrive arguments', () => {
  it('takes a topology subscriber, and goes local with --local, --url or LOCAL_URL', () => {
    expect(parseArguments(['crm-sync'], {})).toMatchObject({
      subscriber: 'crm-sync',
      local: false,
      wait: false,
    });
    expect(parseArguments(['crm-sync', '--local'], {})).toMatchObject({ local: true, url: undefined });
    expect(parseArguments(['notify', '--url', 'http://127.0.0.1:4001'], {})).toMatchObject({
      local: true,
      url: 'http://127.0.0.1:4001',
    });
    expect(parseArguments(['notify'], { LOCAL_URL: 'http://127.0.0.1:4000' })).toMatchObject({
      local: true,
      url: 'http://127.0.0.1:4000',
    });
    expect(parseArguments(['notify', '--max-per-second', '5', '--wait'], {})).toMatchObject({
      maxPerSecond: 5,
      wait: true,
    });
  });

  it('answers --help with the usage, whatever else is given', () => {
    expect(parseArguments(['--help'], {})).toEqual({ help: true });
    expect(parseArguments(['notify', '-h'], {})).toEqual({ help: true });
  });

  it('names the mistake: an unknown subscriber, option or argument, a missing subscriber', () => {
    expect(() => parseArguments(['nobody'], {})).toThrow(/expected one of the subscribers: .*qualify/);
    expect(() => parseArguments(['notify', '--lcoal'], {})).toThrow(
      /unknown option --lcoal \(did you mean --local\?\)/,
    );
    expect(() => parseArguments(['notify', 'crm-sync'], {})).toThrow(/unexpected argument "crm-sync"/);
    expect(() => parseArguments([], {})).toThrow(/missing <subscriber>/);
    expect(() => parseArguments(['notify', '--max-per-second', '0'], {})).toThrow(UsageError);
  });
});
