import { beforeAll, describe, expect, it } from 'vitest';
import { localSubscriptions } from '../../scripts/local/runtime.ts';
import { type Synthesized, synthesize } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** One subscription as the synthesized template wires it: rule → queue (→ DLQ) → event source → function. */
const cloudSubscriptions = (synthesized: Synthesized) => {
  const resources = synthesized.template.toJSON().Resources as Record<string, Resource>;
  const ref = (value: unknown) =>
    (value as { 'Fn::GetAtt'?: [string, string]; Ref?: string })['Fn::GetAtt']?.[0] ??
    (value as { Ref?: string }).Ref;
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventPattern)
    .map((rule) => {
      const queueId = ref((rule.Properties.Targets as { Arn: unknown }[])[0]!.Arn)!;
      const queue = resources[queueId]!.Properties;
      const redrive = queue.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };
      const deadLetter = resources[ref(redrive.deadLetterTargetArn)!]!.Properties;
      const mapping = Object.values(resources).find(
        (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && ref(r.Properties.EventSourceArn) === queueId,
      )!.Properties;
      const fn = resources[ref(mapping.FunctionName)!]!.Properties;
      return {
        name: (fn.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_SERVICE_NAME!,
        pattern: rule.Properties.EventPattern,
        queue: {
          visibilityTimeoutSeconds: queue.VisibilityTimeout,
          maxReceiveCount: redrive.maxReceiveCount,
        },
        deadLetter: { retentionSeconds: deadLetter.MessageRetentionPeriod },
        poller: {
          batchSize: mapping.BatchSize,
          maximumBatchingWindowSeconds: mapping.MaximumBatchingWindowInSeconds ?? 0,
          maximumConcurrency: (mapping.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency,
          timeoutSeconds: fn.Timeout,
          memorySizeMB: fn.MemorySize,
        },
      };
    });
};

describe('the local runtime and the synthesized stack', () => {
  let synthesized: Synthesized;
  beforeAll(async () => {
    synthesized = await synthesize();
  });

  it('carry the same subscriptions: patterns, queue, dead-letter and event-source settings', () => {
    // What `npm start` subscribes when no local override shortens the visibility timeout.
    const local = localSubscriptions().map((s) => ({
      name: s.name,
      pattern: s.pattern,
      queue: s.queue,
      deadLetter: { retentionSeconds: s.deadLetter.retentionSeconds },
      poller: s.poller,
    }));
    const cloud = cloudSubscriptions(synthesized);
    const byName = <T extends { name: string }>(list: T[]) =>
      [...list].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(cloud)).toEqual(byName(local));
  });
});
