import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  type CfnFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { SECRET_ARNS_VARIABLE } from '#shared/config/secrets.ts';
import { METRICS_NAMESPACE } from '#shared/lambda/observability.ts';
import {
  type BundledCrm,
  bundleDefines,
  bundleOptions,
  handlerEntry,
  LAMBDA_NODE_OPTIONS,
  NODE_MAJOR,
  REPO_ROOT,
} from '../bundling.ts';

const RUNTIMES: Record<number, Runtime> = { 22: Runtime.NODEJS_22_X, 24: Runtime.NODEJS_24_X };

/** What the lead store and the sandbox adapters do on the leads table: no batch or transaction calls. */
export const LEADS_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:Scan',
];
/** What Powertools idempotency's DynamoDB persistence layer calls. */
export const IDEMPOTENCY_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/** Lambda's limit on a function's environment: 4 KB for all keys and values together. */
const ENVIRONMENT_LIMIT_BYTES = 4096;
/** What a reference (an ARN, a name, a URL part) may take once deployed. */
const REFERENCE_ALLOWANCE_BYTES = 160;

/** Bytes a resolved CloudFormation value may take once deployed: its literal parts plus an allowance per reference. */
const deployedSize = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + deployedSize(item), 0);
  if (value && typeof value === 'object') {
    if ('Ref' in value || 'Fn::GetAtt' in value || 'Fn::ImportValue' in value)
      return REFERENCE_ALLOWANCE_BYTES;
    return Object.values(value).reduce((sum: number, item) => sum + deployedSize(item), 0);
  }
  return String(value).length;
};

export interface LeadlineFunctionProps {
  /** The topology entry's name: its folder under `functions/`, its service name in logs and metrics. */
  readonly name: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** `leadline:logLevel`: the lowest level of the function's own logs that reaches CloudWatch. */
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly logRetention: RetentionDays;
  /** `leadline:crm`: a named CRM is the only one bundled (`bundleDefines`). */
  readonly crm?: BundledCrm;
}

/**
 * Every Leadline Lambda: the handler at `functions/<name>/handler.ts` bundled by esbuild
 * (`infra/bundling.ts`: ESM, the AWS SDK included, minified but for identifiers, no source map), arm64, the current Node.js runtime, X-Ray
 * tracing, JSON logs in its own log group with a retention, Powertools settings, and a role of
 * its own that starts with nothing but writing to that log group. Each `use…`/`publish…`/`read…`
 * method sets the environment variable a handler reads and grants exactly what that use needs.
 */
export class LeadlineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: LeadlineFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, without the AWSLambdaBasicExecutionRole managed policy (which may write to any log group).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Leadline ${props.name} function`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    const runtime = RUNTIMES[NODE_MAJOR];
    if (!runtime) throw new Error(`No Lambda runtime known for Node.js ${NODE_MAJOR}`);
    super(scope, id, {
      entry: handlerEntry(props.name),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}/package-lock.json`,
      // Lambda caps a description at 256 characters.
      description: props.description.slice(0, 256),
      runtime,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(props.timeoutSeconds),
      memorySize: props.memoryMb,
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      // With JSON logs Lambda filters each line by its level (advanced logging controls, default
      // INFO) and passes that level as AWS_LAMBDA_LOG_LEVEL, which Powertools' Logger takes over
      // POWERTOOLS_LOG_LEVEL: so leadline:logLevel must set it, or DEBUG never reaches CloudWatch.
      // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html#monitoring-cloudwatchlogs-log-level
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      bundling: {
        format: OutputFormat.ESM,
        // esbuild's own flags: NodejsFunction's `minify` would minify identifiers too.
        minify: false,
        esbuildArgs: {
          '--minify-whitespace': bundleOptions.minify.whitespace,
          '--minify-syntax': bundleOptions.minify.syntax,
          '--minify-identifiers': bundleOptions.minify.identifiers,
        },
        sourceMap: bundleOptions.sourcemap,
        target: bundleOptions.target,
        mainFields: [...bundleOptions.mainFields],
        banner: bundleOptions.banner,
        externalModules: [...bundleOptions.externalModules],
        define: bundleDefines(props.crm),
        // The locally installed esbuild (a devDependency): synth needs no Docker.
        forceDockerBundling: false,
      },
      environment: {
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        LOG_LEVEL: props.logLevel,
        ...(LAMBDA_NODE_OPTIONS && { NODE_OPTIONS: LAMBDA_NODE_OPTIONS }),
      },
    });
    // A long business profile could overflow Lambda's environment: say so at synth, not at deploy.
    this.node.addValidation({
      validate: () => {
        const environment = Stack.of(this).resolve((this.node.defaultChild as CfnFunction).environment) as
          | { variables?: Record<string, unknown> }
          | undefined;
        const bytes = Object.entries(environment?.variables ?? {}).reduce(
          (sum, [key, value]) => sum + Buffer.byteLength(key) + deployedSize(value),
          0,
        );
        return bytes > ENVIRONMENT_LIMIT_BYTES
          ? [
              `Function ${props.name}: its environment takes about ${bytes} bytes, over Lambda's ${ENVIRONMENT_LIMIT_BYTES} (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). Shorten leadline:businessProfile or leadline:settings.`,
            ]
          : [];
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html).',
    });
  }

  /**
   * The leads table (`LEADS_TABLE_NAME`): leads, messages, meetings, opt-outs and the sandbox
   * records. The table itself, not its index: only the console lists leads (`constructs/console.ts`).
   */
  useLeadsTable(table: ITable, options: { batchWrites?: boolean } = {}): this {
    this.addEnvironment('LEADS_TABLE_NAME', table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        // The leads' history is written a batch of events at a time (`dynamo-lead-history.ts`).
        actions: [...LEADS_TABLE_ACTIONS, ...(options.batchWrites ? ['dynamodb:BatchWriteItem'] : [])],
        resources: [table.tableArn],
      }),
    );
    return this;
  }

  /** The idempotency table (`IDEMPOTENCY_TABLE_NAME`), Powertools idempotency's records. */
  useIdempotencyTable(table: ITable): this {
    this.addEnvironment('IDEMPOTENCY_TABLE_NAME', table.tableName);
    table.grant(this, ...IDEMPOTENCY_TABLE_ACTIONS);
    return this;
  }

  /** The bus (`EVENT_BUS_NAME`): `events:PutEvents` on that bus only. */
  publishTo(bus: IEventBus): this {
    this.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    bus.grantPutEventsTo(this);
    return this;
  }

  /**
   * Timers (`shared/wiring/timers.ts`): one-time EventBridge Scheduler schedules in `groupName`
   * that put their event on `bus` as `role`. May create and delete schedules of that group only,
   * and pass that role only.
   */
  setTimersIn(options: { groupName: string; role: IRole; bus: IEventBus }): this {
    const schedules = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${options.groupName}/*`,
    });
    this.addEnvironment('SCHEDULER_GROUP_NAME', options.groupName);
    this.addEnvironment('SCHEDULER_TARGET_ROLE_ARN', options.role.roleArn);
    this.addEnvironment('EVENT_BUS_ARN', options.bus.eventBusArn);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [schedules],
      }),
    );
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [options.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(this.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${options.groupName}/*]`,
      reason:
        'Timers are schedules named per lead and step, created at run time: the grant covers the Leadline schedule group only.',
    });
    return this;
  }

  /** The raw payload bucket (`RAW_BUCKET_NAME`): may only add objects under `prefix`. */
  storeRawPayloadsIn(bucket: IBucket, prefix: string): this {
    this.addEnvironment('RAW_BUCKET_NAME', bucket.bucketName);
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }),
    );
    Validations.of(this.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.stack.getLogicalId(bucket.node.defaultChild as never)}.Arn>/${prefix}*]`,
      reason: `Raw payloads are stored one object per message under ${prefix} with keys made at run time; the grant is s3:PutObject on that prefix only.`,
    });
    return this;
  }

  /** Provider secrets (`LEADLINE_SECRET_ARNS`, read by `shared/lambda/provider-secrets.ts`): read access to exactly these. */
  readSecrets(secrets: readonly ISecret[]): this {
    if (secrets.length === 0) return this;
    this.addEnvironment(SECRET_ARNS_VARIABLE, secrets.map((s) => s.secretArn).join(','));
    for (const secret of secrets) secret.grantRead(this);
    return this;
  }

  /** Plain settings, as the environment variables the handlers read. */
  withSettings(settings: Readonly<Record<string, string>>): this {
    for (const [key, value] of Object.entries(settings)) this.addEnvironment(key, value);
    return this;
  }
}
