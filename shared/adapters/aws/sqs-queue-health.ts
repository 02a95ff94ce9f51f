import { type CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { QueueHealthView, RedriveResult } from '#shared/console/views.ts';
import { deadLetterQueueName, queueName, subscribers } from '#shared/pipeline.ts';
import { type QueueHealth, UnknownSubscriberError } from '#shared/ports/queue-health.ts';

const DEPTH_ATTRIBUTES: QueueAttributeName[] = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
];

interface QueueState {
  url: string;
  arn: string;
  visible: number;
  inFlight: number;
  delayed: number;
}

/** A queue's ARN and approximate depths, by its name (SQS GetQueueUrl + GetQueueAttributes). */
export const queueState = async (client: SQSClient, name: string): Promise<QueueState> => {
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`SQS did not return the URL of ${name}`);
  const { Attributes = {} } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: DEPTH_ATTRIBUTES }),
  );
  if (!Attributes.QueueArn) throw new Error(`SQS did not return the ARN of ${name}`);
  return {
    url: QueueUrl,
    arn: Attributes.QueueArn,
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
};

/**
 * Starts SQS's message-move task from a subscriber's dead-letter queue back to its queue
 * (StartMessageMoveTask, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html).
 * Nothing starts when the dead-letter queue is empty.
 */
export const startDeadLetterMove = async (
  client: SQSClient,
  subscriber: string,
  options: { maxPerSecond?: number } = {},
): Promise<{ queue: QueueState; deadLetter: QueueState; taskHandle?: string }> => {
  const [queue, deadLetter] = await Promise.all([
    queueState(client, queueName(subscriber)),
    queueState(client, deadLetterQueueName(subscriber)),
  ]);
  if (deadLetter.visible === 0) return { queue, deadLetter };
  const { TaskHandle } = await client.send(
    new StartMessageMoveTaskCommand({
      SourceArn: deadLetter.arn,
      DestinationArn: queue.arn,
      ...(options.maxPerSecond !== undefined && { MaxNumberOfMessagesPerSecond: options.maxPerSecond }),
    }),
  );
  return { queue, deadLetter, ...(TaskHandle && { taskHandle: TaskHandle }) };
};

/** How far back to look for the latest age datapoint: SQS publishes its metrics every minute. */
const AGE_LOOKBACK_MS = 10 * 60_000;

/**
 * The deployed queues' health: depths from SQS (approximate, as SQS counts), the age of each
 * queue's oldest message from CloudWatch's `ApproximateAgeOfOldestMessage` (SQS does not answer
 * it through its own API), redrive through the message-move task.
 */
export class SqsQueueHealth implements QueueHealth {
  constructor(
    private readonly sqs: SQSClient,
    private readonly cloudWatch: CloudWatchClient,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(): Promise<QueueHealthView[]> {
    const names = subscribers.flatMap((s) => [queueName(s.name), deadLetterQueueName(s.name)]);
    const [states, ages] = await Promise.all([
      Promise.all(names.map((name) => queueState(this.sqs, name))),
      this.oldestAges(names),
    ]);
    return subscribers.map((subscriber, i) => {
      const queue = states[2 * i]!;
      const deadLetter = states[2 * i + 1]!;
      const oldest = ages.get(queueName(subscriber.name));
      const deadOldest = ages.get(deadLetterQueueName(subscriber.name));
      return {
        subscriber: subscriber.name,
        visible: queue.visible,
        inFlight: queue.inFlight,
        delayed: queue.delayed,
        ...(oldest !== undefined && queue.visible + queue.inFlight > 0 && { oldestAgeSeconds: oldest }),
        deadLettered: deadLetter.visible + deadLetter.inFlight + deadLetter.delayed,
        ...(deadOldest !== undefined && deadLetter.visible > 0 && { deadLetterOldestAgeSeconds: deadOldest }),
      };
    });
  }

  async redrive(subscriber: string): Promise<RedriveResult> {
    if (!subscribers.some((s) => s.name === subscriber)) {
      throw new UnknownSubscriberError(`No subscriber "${subscriber}"`);
    }
    const { deadLetter, taskHandle } = await startDeadLetterMove(this.sqs, subscriber);
    return { subscriber, messages: deadLetter.visible, ...(taskHandle && { taskHandle }) };
  }

  /** The latest `ApproximateAgeOfOldestMessage` (seconds) of each named queue that has one. */
  private async oldestAges(names: readonly string[]): Promise<Map<string, number>> {
    const end = this.clock();
    const { MetricDataResults = [] } = await this.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - AGE_LOOKBACK_MS),
        EndTime: end,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: names.map((name, i) => ({
          Id: `q${i}`,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateAgeOfOldestMessage',
              Dimensions: [{ Name: 'QueueName', Value: name }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        })),
      }),
    );
    const ages = new Map<string, number>();
    for (const result of MetricDataResults) {
      const name = names[Number(result.Id?.slice(1))];
      const latest = result.Values?.[0];
      if (name !== undefined && latest !== undefined) ages.set(name, latest);
    }
    return ages;
  }
}
