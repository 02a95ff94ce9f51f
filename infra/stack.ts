import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { HttpApi, type HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type EventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { catalog } from '#events/catalog.ts';
import { Source } from '#events/envelope.ts';
import { LEADS_BY_ACTIVITY } from '#shared/adapters/aws/lead-table.ts';
import { type SecretGroup, secretGroupNames, secretGroups } from '#shared/config/secrets.ts';
import { scheduled, subscribers, visibilityTimeoutSeconds, webhooks } from '#shared/pipeline.ts';
import type { BundledCrm } from './bundling.ts';
import type { ResolvedLeadlineConfig } from './config.ts';
import { LeadlineConsole } from './constructs/console.ts';
import { LeadlineEventSchemas } from './constructs/event-schemas.ts';
import { LeadlineFunction } from './constructs/leadline-function.ts';
import { LeadlineLogQueries } from './constructs/log-queries.ts';
import { LeadlineMonitoring } from './constructs/monitoring.ts';
import { deadLetterQueueName, PREFIX, pascal, queueName, secretName } from './names.ts';
import type { ResourceUse } from './resource-use.ts';

export interface LeadlineStackProps extends StackProps {
  readonly config: ResolvedLeadlineConfig;
  /** What each function's code touches (`analyseResourceUse()` in `infra/resource-use.ts`). */
  readonly resourceUse: ReadonlyMap<string, ResourceUse>;
}

/** Where raw inbound payloads and attachments go in the bucket (`functions/inbound-email/receive-email.ts`). */
export const RAW_PAYLOAD_PREFIX = 'inbound/';

/**
 * Leadline in one stack, built from the topology in `shared/pipeline.ts`: the webhook API, the
 * bus with its archive, one rule + queue + dead-letter queue + function per subscriber, the
 * scheduled functions, the tables, the raw payload bucket, the provider secrets, and the
 * dashboard and alarms. Nothing here names a function: a new topology entry needs no change.
 */
export class LeadlineStack extends Stack {
  readonly functions = new Map<string, LeadlineFunction>();
  readonly secrets = new Map<SecretGroup, ISecret>();

  constructor(scope: Construct, id: string, props: LeadlineStackProps) {
    super(scope, id, {
      description: 'Leadline: answers inbound leads within seconds (webhooks, EventBridge, SQS, Lambda)',
      ...props,
    });
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    // --- Data -------------------------------------------------------------------------------
    const leadsTable = new Table(this, 'LeadsTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The console lists leads through this index, newest activity first (shared/adapters/aws/lead-table.ts).
    leadsTable.addGlobalSecondaryIndex({
      indexName: LEADS_BY_ACTIVITY.indexName,
      partitionKey: { name: LEADS_BY_ACTIVITY.partitionKey, type: AttributeType.STRING },
      sortKey: { name: LEADS_BY_ACTIVITY.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    const idempotencyTable = new Table(this, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      // Powertools idempotency records expire (its default attribute name).
      timeToLiveAttribute: 'expiration',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(config.rawPayloadRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the bucket that receives the raw payload bucket’s server access logs; logging it to itself would loop.',
    });
    const rawBucket = new Bucket(this, 'RawPayloadsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'raw-payloads/',
      lifecycleRules: [
        { prefix: RAW_PAYLOAD_PREFIX, expiration: Duration.days(config.rawPayloadRetentionDays) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- Provider secrets: one per group, created empty; admins fill them (README.md, "Deploy to AWS").
    for (const group of secretGroupNames) {
      const secret = new Secret(this, `${pascal(group)}Secret`, {
        secretName: secretName(group),
        description: `Leadline ${secretGroups[group].description}. JSON keys: ${secretGroups[group].keys.join(', ')}`,
        secretStringValue: SecretValue.unsafePlainText('{}'),
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Third-party provider credentials (Twilio, SendGrid, OpenAI, CRM, Google, Slack) are issued by those providers; Secrets Manager cannot rotate them. Admins rotate them at the provider and put the new value here.',
      });
      this.secrets.set(group, secret);
    }
    const secretsFor = (groups: readonly SecretGroup[]) => groups.map((group) => this.secrets.get(group)!);

    // --- Bus ------------------------------------------------------------------------------
    const bus = new EventBus(this, 'Bus', { eventBusName: PREFIX, description: 'Leadline pipeline events' });
    bus.archive('Archive', {
      description: 'Every Leadline event, for replay',
      eventPattern: { source: Object.values(Source) },
      retention: Duration.days(config.eventArchiveRetentionDays),
    });

    // Timers: one-time schedules that put their event on the bus (shared/wiring/timers.ts).
    const timersGroup = new ScheduleGroup(this, 'TimersGroup', { scheduleGroupName: `${PREFIX}-timers` });
    const timersRole = new Role(this, 'TimersRole', {
      description: 'Assumed by EventBridge Scheduler to put the event of a due timer on the Leadline bus',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    bus.grantPutEventsTo(timersRole);

    // The catalog, for consumers outside Leadline.
    new LeadlineEventSchemas(this, 'EventSchemas', { registryName: PREFIX, events: Object.values(catalog) });

    // --- Webhook API ---------------------------------------------------------------------
    const api = new HttpApi(this, 'WebhookApi', {
      apiName: `${PREFIX}-webhooks`,
      description: 'Leadline provider webhooks (Twilio, SendGrid)',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'WebhookApiAccessLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'WebhookApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Twilio and SendGrid cannot send IAM, JWT or Lambda-authorizer credentials; each webhook function authenticates its caller itself (Twilio X-Twilio-Signature HMAC, SendGrid basic auth and optional ECDSA signature) before anything is stored or published.',
    });
    // Twilio signs the exact URL it calls: the functions compute it from this base.
    const publicBaseUrl = config.publicBaseUrl ?? api.apiEndpoint;

    if (config.crm === 'auto') {
      Annotations.of(this).addInfo(
        'leadline:crm is auto: crm-sync bundles both CRM SDKs (jsforce and the HubSpot client, about 6.5 MB). Set leadline:crm to salesforce, hubspot or sandbox to bundle only that one.',
      );
    }
    const settings = {
      PUBLIC_BASE_URL: publicBaseUrl,
      BUSINESS_PROFILE: JSON.stringify(config.businessProfile),
      BUSINESS_SMS_NUMBER: config.businessSmsNumber,
      BUSINESS_EMAIL_FROM: config.businessEmailFrom,
      ...(config.crm !== 'auto' && { CRM_PROVIDER: config.crm }),
      ...config.settings,
    };

    /** A topology entry's function, with the settings every function reads and the grants its code needs. */
    const newFunction = (
      scope: Construct,
      entry: { name: string; timeoutSeconds: number; memoryMb: number; secrets: readonly SecretGroup[] },
      description: string,
    ) => {
      const use = props.resourceUse.get(entry.name);
      if (!use) throw new Error(`No resource analysis for function ${entry.name}`);
      const fn = new LeadlineFunction(scope, 'Function', {
        name: entry.name,
        description,
        timeoutSeconds: entry.timeoutSeconds,
        memoryMb: entry.memoryMb,
        logLevel: config.logLevel,
        logRetention,
        // Checked against the CRM providers by the config schema.
        crm: config.crm as BundledCrm,
      })
        // Every function reads the storage names at start-up (shared/config/settings.ts); a name grants nothing.
        .withSettings({
          LEADS_TABLE_NAME: leadsTable.tableName,
          IDEMPOTENCY_TABLE_NAME: idempotencyTable.tableName,
          EVENT_BUS_NAME: bus.eventBusName,
        })
        .withSettings(settings)
        .readSecrets(secretsFor(entry.secrets));
      if (use.leadsTable) fn.useLeadsTable(leadsTable, { batchWrites: use.historyBatchWrites });
      if (use.idempotencyTable) fn.useIdempotencyTable(idempotencyTable);
      if (use.bus) fn.publishTo(bus);
      if (use.rawBucket) fn.storeRawPayloadsIn(rawBucket, RAW_PAYLOAD_PREFIX);
      if (use.timers) fn.setTimersIn({ groupName: timersGroup.scheduleGroupName, role: timersRole, bus });
      this.functions.set(entry.name, fn);
      return fn;
    };

    const webhookFunctions = webhooks.map((entry) => {
      const scope = new Construct(this, pascal(entry.name));
      const fn = newFunction(scope, entry, `Leadline webhook ${entry.method} ${entry.path}`);
      api.addRoutes({
        path: entry.path,
        methods: [entry.method as HttpMethod],
        integration: new HttpLambdaIntegration(`${pascal(entry.name)}Integration`, fn),
      });
      new CfnOutput(this, `${pascal(entry.name)}WebhookUrl`, {
        description: `${entry.method} URL for ${entry.name}: paste it into the provider's webhook setting`,
        value: `${publicBaseUrl}${entry.path}`,
      });
      return { entry, fn };
    });

    const subscriberResources = subscribers.map((entry) => {
      const scope = new Construct(this, pascal(entry.name));
      const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', {
        queueName: deadLetterQueueName(entry.name),
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      const queue = new Queue(scope, 'Queue', {
        queueName: queueName(entry.name),
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(entry)),
        retentionPeriod: Duration.days(4),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: entry.maxReceiveCount },
      });
      const fn = newFunction(scope, entry, `Leadline ${entry.name}: ${entry.description}`);
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: entry.batchSize,
          ...(entry.maxBatchingWindowSeconds > 0 && {
            maxBatchingWindow: Duration.seconds(entry.maxBatchingWindowSeconds),
          }),
          maxConcurrency: entry.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      new Rule(scope, 'Rule', {
        eventBus: bus,
        description: `To ${entry.name}: ${entry.description}`,
        // The topology's pattern as it is: EventBridge's own syntax, `$or` included.
        eventPattern: entry.pattern as EventPattern,
        // An event EventBridge cannot deliver lands in the same DLQ, from where redrive returns it.
        targets: [new SqsQueue(queue, { deadLetterQueue })],
      });
      return { entry, fn, queue, deadLetterQueue };
    });

    const scheduledFunctions = scheduled.map((entry) => {
      const scope = new Construct(this, pascal(entry.name));
      const fn = newFunction(scope, entry, `Leadline ${entry.name}: ${entry.description}`);
      // A role per schedule (rather than CDK's shared one), so it may invoke this function only.
      const role = new Role(scope, 'ScheduleRole', {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      });
      new Schedule(scope, 'Schedule', {
        description: `${entry.name}: ${entry.description}`,
        schedule: ScheduleExpression.expression(entry.schedule),
        // The next run comes soon; a missed run is not retried on top of it.
        target: new LambdaInvoke(fn, { role, retryAttempts: 0 }),
      });
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
        reason: `lambda:InvokeFunction on the ${entry.name} function and its versions/aliases (CDK's grantInvoke); no other function.`,
      });
      return { entry, fn };
    });

    // --- Console: the browser app on CloudFront, Cognito sign-in, the read API (infra/constructs/console.ts)
    const leadlineConsole = new LeadlineConsole(this, 'Console', {
      leadsTable,
      queues: subscriberResources.map(({ entry, queue, deadLetterQueue }) => ({
        name: entry.name,
        queue,
        deadLetterQueue,
      })),
      settings: {
        LEADS_TABLE_NAME: leadsTable.tableName,
        IDEMPOTENCY_TABLE_NAME: idempotencyTable.tableName,
        EVENT_BUS_NAME: bus.eventBusName,
        BUSINESS_PROFILE: settings.BUSINESS_PROFILE,
      },
      accessLogsBucket,
      domainPrefix: config.consoleDomainPrefix ?? `${PREFIX}-${this.account}`,
      apiThrottle: config.apiThrottle,
      logLevel: config.logLevel,
      logRetention,
    });
    this.functions.set('console-api', leadlineConsole.function);

    // --- Alarms and dashboard ---------------------------------------------------------------
    const alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Leadline alarms',
      enforceSSL: true,
    });
    if (config.alarmEmail) {
      alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    } else {
      Annotations.of(this).addWarningV2(
        'leadline:noAlarmEmail',
        'No leadline:alarmEmail set: alarms go to the SNS topic only. Set it in cdk.json or with -c leadline:alarmEmail=ops@example.com.',
      );
    }
    const monitoring = new LeadlineMonitoring(this, 'Monitoring', {
      api,
      webhooks: webhookFunctions,
      subscribers: subscriberResources,
      scheduled: scheduledFunctions,
      tables: [leadsTable, idempotencyTable],
      alarmTopic,
      speedToLeadObjectiveSeconds: config.speedToLeadObjectiveSeconds,
      oldestMessageAlarmMinutes: config.oldestMessageAlarmMinutes,
    });

    new LeadlineLogQueries(this, 'LogQueries', {
      logGroups: [...this.functions.values()].map((fn) => fn.logGroup),
    });

    const dashboard = monitoring.dashboards.dashboard;
    if (dashboard) {
      new CfnOutput(this, 'DashboardUrl', {
        description: 'The CloudWatch dashboard',
        value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboard.dashboardName}`,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Alarms are published here',
      value: alarmTopic.topicArn,
    });
    new CfnOutput(this, 'SecretNames', {
      description: 'Provider secrets to fill (JSON objects, keys in README.md, "Deploy to AWS")',
      value: secretGroupNames.map(secretName).join(','),
    });
  }
}
