import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '#events/catalog.ts';
import { Source } from '#events/envelope.ts';
import { SECRET_ARNS_VARIABLE, secretGroupNames } from '#shared/config/secrets.ts';
import { METRICS_NAMESPACE } from '#shared/lambda/observability.ts';
import { scheduled, subscribers, visibilityTimeoutSeconds, webhooks } from '#shared/pipeline.ts';
import { NODE_MAJOR, topologyFunctions } from '../../infra/bundling.ts';
import { deadLetterQueueName, queueName } from '../../infra/names.ts';
import { type Synthesized, synthesize } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };

let synthesized: Synthesized;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(async () => {
  synthesized = await synthesize();
  template = synthesized.template;
  resources = template.toJSON().Resources as Record<string, Resource>;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const fnId = (name: string) => synthesized.logicalId(synthesized.stack.functions.get(name)!);
const queueIdNamed = (name: string) => {
  const found = ofType('AWS::SQS::Queue').find(([, r]) => r.Properties.QueueName === name);
  if (!found) throw new Error(`No queue named ${name}`);
  return found[0];
};
const alarmsOn = (dimensionValue: unknown) =>
  ofType('AWS::CloudWatch::Alarm').filter(([, r]) =>
    JSON.stringify(r.Properties).includes(JSON.stringify(dimensionValue)),
  );
const envOf = (name: string) =>
  (resources[fnId(name)]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

describe('the synthesized stack', () => {
  it('has one subscriber rule per topology subscriber, with its pattern as is, on the Leadline bus, to its queue', () => {
    const rules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern !== undefined);
    expect(rules).toHaveLength(subscribers.length);
    for (const subscriber of subscribers) {
      const queueId = queueIdNamed(queueName(subscriber.name));
      const matching = rules.filter(([, r]) =>
        (r.Properties.Targets as { Arn: unknown }[]).some(
          (t) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
        ),
      );
      expect(matching, subscriber.name).toHaveLength(1);
      const [, rule] = matching[0]!;
      expect(rule.Properties.EventPattern).toEqual(subscriber.pattern);
      expect(rule.Properties.EventBusName).toEqual({
        Ref: synthesized.logicalId(synthesized.stack.node.findChild('Bus')),
      });
      // Undeliverable events land in the subscriber's DLQ, from where redrive brings them back.
      const target = (rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[])[0]!;
      expect(target.DeadLetterConfig?.Arn).toEqual({
        'Fn::GetAtt': [queueIdNamed(deadLetterQueueName(subscriber.name)), 'Arn'],
      });
    }
  });

  it('gives each subscriber an encrypted queue and DLQ with the topology settings and the visibility-timeout rule', () => {
    expect(ofType('AWS::SQS::Queue')).toHaveLength(2 * subscribers.length);
    for (const subscriber of subscribers) {
      const queue = resources[queueIdNamed(queueName(subscriber.name))]!.Properties;
      const dlqId = queueIdNamed(deadLetterQueueName(subscriber.name));
      const dlq = resources[dlqId]!.Properties;
      expect(queue.VisibilityTimeout).toBe(visibilityTimeoutSeconds(subscriber));
      // Lambda's rule: at least six times the function timeout plus the batching window.
      expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(
        6 * subscriber.timeoutSeconds + subscriber.maxBatchingWindowSeconds,
      );
      expect(queue.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: subscriber.maxReceiveCount,
      });
      expect(dlq.MessageRetentionPeriod as number).toBeGreaterThan(queue.MessageRetentionPeriod as number);
      for (const q of [queue, dlq]) expect(q.SqsManagedSseEnabled).toBe(true);
    }
    // SSL enforced on every queue: a deny on aws:SecureTransport false in each queue policy.
    for (const subscriber of subscribers) {
      for (const name of [queueName(subscriber.name), deadLetterQueueName(subscriber.name)]) {
        const id = queueIdNamed(name);
        const policies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) =>
          JSON.stringify(p.Properties.Queues).includes(`"${id}"`),
        );
        expect(
          policies.some(([, p]) => JSON.stringify(p.Properties).includes('"aws:SecureTransport":"false"')),
          name,
        ).toBe(true);
      }
    }
  });

  it('feeds each subscriber function from its queue with the topology batch settings and partial batch responses', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(subscribers.length);
    for (const subscriber of subscribers) {
      const queueId = queueIdNamed(queueName(subscriber.name));
      const mapping = mappings.find(
        ([, m]) =>
          JSON.stringify(m.Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
      )?.[1].Properties;
      expect(mapping, subscriber.name).toBeDefined();
      expect(mapping!.FunctionName).toEqual({ Ref: fnId(subscriber.name) });
      expect(mapping!.BatchSize).toBe(subscriber.batchSize);
      expect(mapping!.MaximumBatchingWindowInSeconds ?? 0).toBe(subscriber.maxBatchingWindowSeconds);
      expect(mapping!.ScalingConfig).toEqual({ MaximumConcurrency: subscriber.maxConcurrency });
      expect(mapping!.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      const fn = resources[fnId(subscriber.name)]!.Properties;
      expect(fn.Timeout).toBe(subscriber.timeoutSeconds);
      expect(fn.MemorySize).toBe(subscriber.memoryMb);
    }
  });

  it('builds every topology function the same way: Node.js, arm64, ESM bundle, tracing, its own log group and Powertools settings', () => {
    // Besides the topology: the console's read API, and CDK's own handler that copies the console into its bucket.
    const leadline = ofType('AWS::Lambda::Function').filter(
      ([id]) =>
        id !== synthesized.logicalId(synthesized.stack.functions.get('console-api')!) &&
        !id.startsWith('CustomCDKBucketDeployment'),
    );
    expect(leadline).toHaveLength(topologyFunctions().length);
    for (const { name } of topologyFunctions()) {
      const fn = resources[fnId(name)]!.Properties;
      expect(fn.Runtime).toBe(`nodejs${NODE_MAJOR}.x`);
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.Handler).toBe('index.handler');
      expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
      const logging = fn.LoggingConfig as { LogGroup: { Ref: string } };
      expect(resources[logging.LogGroup.Ref]!.Properties.RetentionInDays).toBeGreaterThan(0);
      // cdk.json's leadline:logLevel, as Lambda's own filter (Powertools takes it over its own).
      expect(logging, name).toMatchObject({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'INFO',
      });
      expect(envOf(name).POWERTOOLS_LOG_LEVEL, name).toBe('INFO');
      expect(envOf(name)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      });
      // Source maps would be parsed on the first stack trace: hundreds of ms, hundreds of MiB.
      expect(envOf(name).NODE_OPTIONS ?? '', name).not.toMatch(/source-maps/);
      for (const key of ['LEADS_TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'EVENT_BUS_NAME', 'PUBLIC_BASE_URL']) {
        expect(envOf(name)[key], `${name} ${key}`).toBeDefined();
      }
    }
  });

  it('routes each webhook to its function on the HTTP API and outputs its URL', () => {
    const webhookApi = synthesized.logicalId(synthesized.stack.node.findChild('WebhookApi'));
    const routes = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) =>
      JSON.stringify(r.Properties.ApiId).includes(`"${webhookApi}"`),
    );
    expect(routes).toHaveLength(webhooks.length);
    for (const webhook of webhooks) {
      const route = routes.find(([, r]) => r.Properties.RouteKey === `${webhook.method} ${webhook.path}`);
      expect(route, webhook.name).toBeDefined();
      const integrationId = JSON.stringify(route![1].Properties.Target).match(/"(\w+Integration\w*)"/)?.[1];
      const integration = resources[integrationId!]!.Properties;
      expect(JSON.stringify(integration.IntegrationUri)).toContain(`"${fnId(webhook.name)}"`);
      const fn = resources[fnId(webhook.name)]!.Properties;
      expect(fn.Timeout).toBe(webhook.timeoutSeconds);
      const outputs = Object.values(template.toJSON().Outputs as Record<string, { Value: unknown }>);
      expect(
        outputs.some((o) => JSON.stringify(o.Value).includes(`"${webhook.path}"`)),
        webhook.name,
      ).toBe(true);
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: {
        ThrottlingRateLimit: synthesized.stack.node.tryGetContext('leadline:apiThrottle')?.rateLimit ?? 500,
        ThrottlingBurstLimit:
          synthesized.stack.node.tryGetContext('leadline:apiThrottle')?.burstLimit ?? 1000,
      },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('runs each scheduled function on its schedule', () => {
    const schedules = ofType('AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(scheduled.length);
    for (const entry of scheduled) {
      const schedule = schedules.find(
        ([, s]) =>
          JSON.stringify((s.Properties.Target as { Arn: unknown }).Arn) ===
          JSON.stringify({ 'Fn::GetAtt': [fnId(entry.name), 'Arn'] }),
      );
      expect(schedule?.[1].Properties.ScheduleExpression, entry.name).toBe(entry.schedule);
    }
  });

  it('alarms on every topology entry: DLQ depth, oldest message and errors per subscriber, errors per webhook and schedule', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    const topic = ofType('AWS::SNS::Topic')[0]![0];
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    for (const subscriber of subscribers) {
      const dlqAlarms = alarmsOn({
        'Fn::GetAtt': [queueIdNamed(deadLetterQueueName(subscriber.name)), 'QueueName'],
      });
      expect(
        dlqAlarms.some(
          ([, a]) =>
            JSON.stringify(a.Properties.Metrics).includes('"ApproximateNumberOfMessagesVisible"') &&
            a.Properties.Threshold === 0 &&
            a.Properties.ComparisonOperator === 'GreaterThanThreshold',
        ),
        `${subscriber.name} DLQ`,
      ).toBe(true);
      const queueAlarms = alarmsOn({ 'Fn::GetAtt': [queueIdNamed(queueName(subscriber.name)), 'QueueName'] });
      expect(
        queueAlarms.some(([, a]) =>
          JSON.stringify(a.Properties.Metrics).includes('"ApproximateAgeOfOldestMessage"'),
        ),
        `${subscriber.name} age`,
      ).toBe(true);
    }
    for (const { name } of topologyFunctions()) {
      expect(
        alarmsOn({ Ref: fnId(name) }).some(([, a]) => JSON.stringify(a.Properties).includes('"Errors"')),
        `${name} errors`,
      ).toBe(true);
    }
    expect(alarms.some(([, a]) => JSON.stringify(a.Properties).includes('"5xx"'))).toBe(true);
    const speedToLead = alarms.filter(([, a]) => JSON.stringify(a.Properties).includes('"SpeedToLeadMs"'));
    expect(speedToLead.length).toBeGreaterThan(0);
    const objectiveMs = synthesized.stack.node.tryGetContext('leadline:speedToLeadObjectiveSeconds') * 1000;
    for (const [, a] of speedToLead) expect(a.Properties.Threshold).toBe(objectiveMs);
  });

  it('alarms when every suited rep let a hot lead time out', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, a]) =>
      JSON.stringify(a.Properties).includes('HotLeadsUnanswered'),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('gives timers their schedule group and a role that may only put events on the bus, and lets only the functions that set timers create them', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'leadline-timers' });
    const timerSetters = topologyFunctions()
      .map(({ name }) => name)
      .filter((name) => synthesized.resourceUse.get(name)?.timers);
    expect(timerSetters.sort()).toEqual(['conversation', 'route']);
    for (const { name } of topologyFunctions()) {
      const env = envOf(name);
      expect(env.SCHEDULER_GROUP_NAME !== undefined, name).toBe(timerSetters.includes(name));
    }
  });

  it('has the dashboard, reading the business metrics as Powertools emits them (namespace, service dimension)', () => {
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]![1].Properties.DashboardBody);
    for (const metric of [
      'LeadsReceived',
      'InboundMessages',
      'RepliesSent',
      'SpeedToLeadMs',
      'QualifiedByLlm',
      'QualifiedByRules',
      'CrmSyncs',
      'CrmSyncFailures',
      'MeetingsBooked',
      'FollowUpsSent',
      'RepliesAfterFollowUp',
      'MissedCallsRecovered',
      'RepResponseMs',
      'RepReassignments',
      'HotLeadsUnanswered',
    ]) {
      expect(body, metric).toContain(metric);
    }
    expect(body).toContain(`{${METRICS_NAMESPACE},service}`);
    expect(body).toContain('p95');
  });

  it('keeps data safe: on-demand tables with point-in-time recovery and encryption, TTL on idempotency records, a private SSL-only bucket that expires payloads', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(2);
    for (const [, table] of tables) {
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true });
    }
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    for (const [, bucket] of ofType('AWS::S3::Bucket')) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
      expect(bucket.Properties.LifecycleConfiguration).toBeDefined();
    }
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: Object.values(Source) },
    });
  });

  it('creates one empty secret per secret group', () => {
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(secretGroupNames.length);
    for (const [, secret] of secrets) expect(secret.Properties.SecretString).toBe('{}');
  });
});

describe('least privilege', () => {
  const policyStatementsOf = (name: string) => {
    const roleId = synthesized.logicalId(synthesized.stack.functions.get(name)!.role as never);
    return ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        ([, p]) =>
          (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
            .Statement,
      );
  };
  const actionsOf = (s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

  it('never grants a data-plane action on a * resource, anywhere in the stack', () => {
    const dataPlane = /^(dynamodb|s3|events|secretsmanager|sqs|sns|lambda):/;
    // CDK's BucketDeployment handler copies the built console between buckets (objects under each,
    // acknowledged in infra/constructs/console.ts); it runs only while deploying.
    const consoleCopier = (id: string) => id.startsWith('CustomCDKBucketDeployment');
    for (const [id, policy] of ofType('AWS::IAM::Policy').filter(([id]) => !consoleCopier(id))) {
      for (const statement of (
        policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }
      ).Statement) {
        if (!actionsOf(statement).some((a) => dataPlane.test(a))) continue;
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        for (const resource of resources) {
          expect(resource, `${id} ${actionsOf(statement).join(',')}`).not.toBe('*');
          // A literal wildcard only as an object key prefix or a version qualifier of a named resource.
          if (typeof resource === 'string') expect(resource).not.toContain('*');
          else {
            const literal = JSON.stringify(resource);
            if (literal.includes('*')) expect(literal, id).toMatch(/"(\/inbound\/\*|:\*)"\]\]\}$/);
          }
        }
      }
    }
  });

  it('lets each function read exactly the secrets its topology entry lists', () => {
    const secretIds = new Map(
      [...synthesized.stack.secrets].map(([group, secret]) => [
        synthesized.logicalId(secret as never),
        group,
      ]),
    );
    for (const entry of [...webhooks, ...subscribers, ...scheduled]) {
      // One statement per secret, or one over several (IAM policy minimization merges them).
      const granted = policyStatementsOf(entry.name)
        .filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))
        .flatMap((s) => [s.Resource].flat() as { Ref: string }[])
        .map((resource) => secretIds.get(resource.Ref));
      expect(granted.sort(), entry.name).toEqual([...entry.secrets].sort());
      const arns = envOf(entry.name)[SECRET_ARNS_VARIABLE];
      if (entry.secrets.length === 0) expect(arns, entry.name).toBeUndefined();
      else {
        const referenced = JSON.stringify(arns)
          .match(/"Ref":"(\w+)"/g)
          ?.map((m) => secretIds.get(m.slice(7, -1)));
        expect(referenced?.sort(), entry.name).toEqual([...entry.secrets].sort());
      }
    }
  });

  it('grants each function the table, bucket and bus its code uses, and nothing it does not', () => {
    const leadsTable = synthesized.logicalId(synthesized.stack.node.findChild('LeadsTable'));
    const idempotencyTable = synthesized.logicalId(synthesized.stack.node.findChild('IdempotencyTable'));
    const bucket = synthesized.logicalId(synthesized.stack.node.findChild('RawPayloadsBucket'));
    for (const { name } of topologyFunctions()) {
      const use = synthesized.resourceUse.get(name)!;
      const statements = JSON.stringify(policyStatementsOf(name));
      expect(statements.includes(`"${leadsTable}"`), `${name} leads table`).toBe(use.leadsTable);
      expect(statements.includes(`"${idempotencyTable}"`), `${name} idempotency table`).toBe(
        use.idempotencyTable,
      );
      expect(statements.includes('events:PutEvents'), `${name} bus`).toBe(use.bus);
      expect(statements.includes(`"${bucket}"`), `${name} bucket`).toBe(use.rawBucket);
      expect(statements.includes('dynamodb:BatchWriteItem'), `${name} batch writes`).toBe(
        use.historyBatchWrites,
      );
      expect(statements, name).not.toMatch(/dynamodb:\*|s3:(\*|DeleteObject|GetObject)/);
    }
    // Every pipeline function keeps leads; every webhook publishes to the bus, and those that accept
    // a message once per provider id (or read the reps' alerts) write it to the leads table; only
    // the timeline writes in batches.
    for (const s of subscribers) expect(synthesized.resourceUse.get(s.name)?.leadsTable, s.name).toBe(true);
    for (const name of ['inbound-sms', 'inbound-email', 'dial-status']) {
      expect(synthesized.resourceUse.get(name)?.leadsTable, name).toBe(true);
    }
    expect(
      topologyFunctions()
        .filter(({ name }) => synthesized.resourceUse.get(name)?.historyBatchWrites)
        .map(({ name }) => name),
    ).toEqual(['timeline']);
    for (const w of webhooks) expect(synthesized.resourceUse.get(w.name)?.bus, w.name).toBe(true);
  });
});

describe('cdk-nag in the app', () => {
  it('refuses a resource with an unacknowledged AwsSolutions finding', async () => {
    await expect(
      synthesize({}, (stack) => {
        // No SSL enforcement, no DLQ: AwsSolutions-SQS3 and -SQS4.
        new Queue(stack, 'CarelessQueue');
      }),
    ).rejects.toThrow(/AwsSolutions-SQS4/);
  });
});

describe('the stack with leadline:logLevel set', () => {
  it('sets Lambda’s application log level from it, so DEBUG lines reach CloudWatch', async () => {
    const debug = await synthesize({ 'leadline:logLevel': 'DEBUG' });
    const all = debug.template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    // Leadline's own functions: the topology's and the console's API (not CDK's deployment helper).
    const ours = [...debug.stack.functions.values()].map((fn) => debug.logicalId(fn));
    expect(ours).toHaveLength(topologyFunctions().length + 1);
    const functions = Object.fromEntries(ours.map((id) => [id, all[id]!]));
    for (const [id, fn] of Object.entries(functions)) {
      expect(fn.Properties.LoggingConfig, id).toMatchObject({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'DEBUG',
      });
      expect(
        (fn.Properties.Environment as { Variables: Record<string, string> }).Variables,
        id,
      ).toMatchObject({
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
      });
    }
  });
});

describe('what the stack offers operators and other teams', () => {
  it('saves the Logs Insights queries "everything for a lead" and "errors by function" over every function’s logs', () => {
    const queries = Object.values(template.findResources('AWS::Logs::QueryDefinition')) as Resource[];
    const named = (name: string) => queries.find((q) => q.Properties.Name === name)?.Properties;
    const functionLogGroups = [...synthesized.stack.functions.values()].map((fn) =>
      synthesized.stack.resolve(fn.logGroup.logGroupName),
    );
    const forLead = named('Leadline/Everything for a lead');
    const errors = named('Leadline/Errors by function');
    for (const query of [forLead, errors]) {
      expect(query).toBeDefined();
      expect(query!.LogGroupNames).toEqual(expect.arrayContaining(functionLogGroups));
      expect(query!.LogGroupNames).toHaveLength(functionLogGroups.length);
    }
    expect(forLead!.QueryString).toMatch(/filter leadId = "ld_0+"/);
    expect(forLead!.QueryString).toMatch(/correlation_id/);
    expect(errors!.QueryString).toMatch(/filter level = "ERROR"/);
    expect(errors!.QueryString).toMatch(/stats count\(\*\) as errors.* by functionName/);
  });

  it('registers every catalog event as JSON Schema in an EventBridge schema registry', () => {
    template.resourceCountIs('AWS::EventSchemas::Registry', 1);
    const schemas = Object.values(template.findResources('AWS::EventSchemas::Schema')) as Resource[];
    expect(schemas.map((s) => s.Properties.SchemaName).sort()).toEqual(
      Object.values(catalog)
        .map((e) => `${e.source}@${e.detailType.replaceAll(' ', '')}`)
        .sort(),
    );
    for (const schema of schemas) {
      expect(schema.Properties.Type).toBe('JSONSchemaDraft4');
      const content = JSON.parse(schema.Properties.Content as string) as { $schema: string };
      expect(content.$schema).toBe('http://json-schema.org/draft-04/schema#');
    }
  });
});
