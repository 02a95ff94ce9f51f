import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqsQueueHealth } from '#shared/adapters/aws/sqs-queue-health.ts';
import { deadLetterQueueName, queueName, subscribers } from '#shared/pipeline.ts';
import { UnknownSubscriberError } from '#shared/ports/queue-health.ts';
import { type FakeRequest, HttpFake } from '../fakes/http-fake.ts';

const ACCOUNT = '123456789012';
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const operation = (r: FakeRequest) => String(r.headers['x-amz-target']).split('.').pop();

describe('queue health in AWS (the real SQS and CloudWatch clients against loopback fakes)', () => {
  let aws: HttpFake;
  let health: SqsQueueHealth;
  /** Per queue name: [visible, in flight, delayed]. */
  let depths: Record<string, [number, number, number]>;
  /** Per queue name: the latest ApproximateAgeOfOldestMessage, newest first. */
  let ages: Record<string, number[]>;

  beforeAll(async () => {
    aws = await HttpFake.start();
    aws.route('POST', /.*/, (request) => {
      const body = request.body as Record<string, unknown>;
      const json = (payload: unknown) => ({
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: payload,
      });
      switch (operation(request)) {
        case 'GetQueueUrl':
          return json({ QueueUrl: `${aws.url}/${ACCOUNT}/${body.QueueName}` });
        case 'GetQueueAttributes': {
          const name = String(body.QueueUrl).split('/').pop()!;
          const [visible, inFlight, delayed] = depths[name] ?? [0, 0, 0];
          return json({
            Attributes: {
              QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
              ApproximateNumberOfMessages: String(visible),
              ApproximateNumberOfMessagesNotVisible: String(inFlight),
              ApproximateNumberOfMessagesDelayed: String(delayed),
            },
          });
        }
        case 'StartMessageMoveTask':
          return json({ TaskHandle: 'task-1' });
        case 'GetMetricData': {
          const queries = body.MetricDataQueries as {
            Id: string;
            MetricStat: { Metric: { Dimensions: { Value: string }[] } };
          }[];
          return json({
            MetricDataResults: queries.map((q) => {
              const values = ages[q.MetricStat.Metric.Dimensions[0]!.Value] ?? [];
              return {
                Id: q.Id,
                StatusCode: 'Complete',
                Timestamps: values.map((_, i) => 1_795_000_000 - 60 * i),
                Values: values,
              };
            }),
          });
        }
        default:
          return { status: 400, body: { __type: 'InvalidAction' } };
      }
    });
    const client = { endpoint: aws.url, region: 'us-east-1', credentials };
    health = new SqsQueueHealth(
      new SQSClient(client),
      new CloudWatchClient(client),
      () => new Date('2026-11-21T15:00:00Z'),
    );
  });
  beforeEach(() => {
    aws.reset();
    depths = {};
    ages = {};
  });
  afterAll(async () => {
    await aws.close();
  });

  it("reads every subscriber's queue and DLQ depths from SQS and the oldest ages from CloudWatch", async () => {
    depths[queueName('notify')] = [3, 1, 0];
    depths[deadLetterQueueName('notify')] = [2, 0, 0];
    ages[queueName('notify')] = [95, 40];
    ages[deadLetterQueueName('notify')] = [3600];
    // An age left from a queue that has since emptied is not shown.
    ages[queueName('score')] = [12];

    const queues = await health.list();

    expect(queues.map((q) => q.subscriber)).toEqual(subscribers.map((s) => s.name));
    expect(queues.find((q) => q.subscriber === 'notify')).toEqual({
      subscriber: 'notify',
      visible: 3,
      inFlight: 1,
      delayed: 0,
      oldestAgeSeconds: 95,
      deadLettered: 2,
      deadLetterOldestAgeSeconds: 3600,
    });
    expect(queues.find((q) => q.subscriber === 'score')).toEqual({
      subscriber: 'score',
      visible: 0,
      inFlight: 0,
      delayed: 0,
      deadLettered: 0,
    });
    const metricCalls = aws.requests.filter((r) => operation(r) === 'GetMetricData');
    expect(metricCalls).toHaveLength(1);
    expect(metricCalls[0]?.body).toMatchObject({
      StartTime: new Date('2026-11-21T14:50:00Z').getTime() / 1000,
      EndTime: new Date('2026-11-21T15:00:00Z').getTime() / 1000,
    });
  });

  it('redrives through the message-move task, and refuses a subscriber the topology lacks', async () => {
    depths[deadLetterQueueName('crm-sync')] = [4, 0, 0];
    expect(await health.redrive('crm-sync')).toEqual({
      subscriber: 'crm-sync',
      messages: 4,
      taskHandle: 'task-1',
    });
    expect(aws.requests.filter((r) => operation(r) === 'StartMessageMoveTask').map((r) => r.body)).toEqual([
      {
        SourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${deadLetterQueueName('crm-sync')}`,
        DestinationArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${queueName('crm-sync')}`,
      },
    ]);
    await expect(health.redrive('nobody')).rejects.toBeInstanceOf(UnknownSubscriberError);
  });
});
