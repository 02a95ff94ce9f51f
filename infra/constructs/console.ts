import {
  Aws,
  CfnOutput,
  type CfnResource,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LEADS_BY_ACTIVITY } from '#shared/adapters/aws/lead-table.ts';
import { buildConsoleSync, CONSOLE_DIR, writeConsole } from '../../console/build.ts';
import { OPERATORS_GROUP } from '../../functions/console-api/caller.ts';
import { LeadlineFunction } from './leadline-function.ts';

export interface LeadlineConsoleProps {
  readonly leadsTable: ITable;
  /** Each subscriber's queue and dead-letter queue: the pipeline page reads them and redrives. */
  readonly queues: readonly {
    readonly name: string;
    readonly queue: IQueue;
    readonly deadLetterQueue: IQueue;
  }[];
  /** Settings every function reads (storage names, the business profile). */
  readonly settings: Readonly<Record<string, string>>;
  /** Where the console bucket's server access logs go. */
  readonly accessLogsBucket: Bucket;
  readonly domainPrefix: string;
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly logRetention: RetentionDays;
}

/** What the console's read API does to a queue: read its depth, and move a dead-letter queue's messages back. */
const QUEUE_READ_ACTIONS = ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes'];
/** StartMessageMoveTask needs these on the dead-letter queue (the source) and SendMessage on the queue. */
const REDRIVE_SOURCE_ACTIONS = ['sqs:StartMessageMoveTask', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'];

/**
 * The console in the cloud: the same browser app as `npm start` serves, from a private S3 bucket
 * behind CloudFront, signing in with a Cognito user pool of the business's own users (no
 * self-service sign-up, MFA required), and the read API behind an HTTP API whose JWT authorizer
 * refuses any request without a token from that pool: every route, as the default authorizer.
 * Members of the `operators` group may also redrive dead-letter queues.
 */
export class LeadlineConsole extends Construct {
  readonly userPool: UserPool;
  readonly api: HttpApi;
  readonly function: LeadlineFunction;
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: LeadlineConsoleProps) {
    super(scope, id);

    // --- Static site ---------------------------------------------------------------------
    this.bucket = new Bucket(this, 'SiteBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'console/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // Only built files live here: the deployment puts them back on every deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudFront's standard logs need a bucket that accepts ACLs.
    const cdnLogs = new Bucket(this, 'CdnLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(cdnLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the console distribution’s CloudFront logs; logging it again would loop.',
    });

    // --- Users --------------------------------------------------------------------------
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: 'leadline-console',
      // The business adds its own people (README.md, "The console in the cloud").
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection (adaptive authentication, compromised-credential checks) needs the paid Plus feature plan; sign-up is closed, MFA (TOTP) is required and passwords are strong. Turn it on in the user pool when the business wants adaptive authentication.',
    });
    new CfnUserPoolGroup(this, 'OperatorsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: OPERATORS_GROUP,
      description: 'May redrive dead-letter queues from the console',
    });
    const domain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Leadline console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: new ResponseHeadersPolicy(this, 'SecurityHeaders', {
          comment: 'Leadline console: only its own API and sign-in are reachable from the page',
          securityHeadersBehavior: {
            contentSecurityPolicy: {
              override: true,
              contentSecurityPolicy: [
                "default-src 'self'",
                "img-src 'self' data:",
                "style-src 'self'",
                `connect-src 'self' https://*.execute-api.${Aws.REGION}.amazonaws.com https://cognito-idp.${Aws.REGION}.amazonaws.com ${domain.baseUrl()}`,
                "frame-ancestors 'none'",
              ].join('; '),
            },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
            referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
            strictTransportSecurity: {
              accessControlMaxAge: Duration.days(365),
              includeSubdomains: true,
              override: true,
            },
          },
        }),
      },
      enableLogging: true,
      logBucket: cdnLogs,
      logFilePrefix: 'console/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'The business’s staff sign in from wherever they work; every API call needs a Cognito token.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves only static files; the data sits behind the API’s JWT authorizer and throttling. A WAF web ACL (us-east-1, paid) can be attached when wanted.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate fixes the minimum TLS version; with a custom domain and ACM certificate, set TLSv1.2_2021.',
    });
    const consoleUrl = `https://${this.distribution.distributionDomainName}`;

    const client = this.userPool.addClient('WebClient', {
      userPoolClientName: 'leadline-console',
      // A browser app: authorization code with PKCE, no client secret.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${consoleUrl}/`],
        logoutUrls: [`${consoleUrl}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    // --- Read API -------------------------------------------------------------------------
    this.function = new LeadlineFunction(this, 'Function', {
      name: 'console-api',
      description: 'Leadline console read API: leads, conversations, timelines, pipeline health, redrive',
      timeoutSeconds: 10,
      memoryMb: 1024,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    }).withSettings(props.settings);
    // Reads only: the lead items and messages, and the lead list through its index (no scan).
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [
          props.leadsTable.tableArn,
          `${props.leadsTable.tableArn}/index/${LEADS_BY_ACTIVITY.indexName}`,
        ],
      }),
    );
    for (const { queue, deadLetterQueue } of props.queues) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: QUEUE_READ_ACTIONS,
          resources: [queue.queueArn, deadLetterQueue.queueArn],
        }),
      );
      this.function.addToRolePolicy(
        new PolicyStatement({ actions: REDRIVE_SOURCE_ACTIONS, resources: [deadLetterQueue.queueArn] }),
      );
      this.function.addToRolePolicy(
        new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
      );
    }
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
    );
    Validations.of(this.function.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudwatch:GetMetricData (the queues’ ApproximateAgeOfOldestMessage) and X-Ray tracing support no resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).',
    });

    this.api = new HttpApi(this, 'Api', {
      apiName: 'leadline-console',
      description: 'Leadline console read API (Cognito JWT on every route)',
      createDefaultStage: false,
      defaultAuthorizer: new HttpUserPoolAuthorizer('CognitoAuthorizer', this.userPool, {
        userPoolClients: [client],
      }),
      // The browser calls it from the console's own address; preflight needs no token.
      corsPreflight: {
        allowOrigins: [consoleUrl],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.apiThrottle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
    this.api.addRoutes({
      path: '/api/{proxy+}',
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: new HttpLambdaIntegration('ApiIntegration', this.function),
    });

    // --- The built app and its settings, into the bucket -------------------------------------
    const apiUrl = this.api.apiEndpoint;
    this.deployment = new BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(CONSOLE_DIR, {
          exclude: ['screenshots', 'dist'],
          bundling: {
            // Built by the esbuild `npm ci` installed; the image is used only where that cannot run.
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
            local: {
              tryBundle: (outputDir: string) => {
                writeConsole(buildConsoleSync(), outputDir);
                return true;
              },
            },
          },
        }),
        Source.jsonData('config.json', {
          mode: 'cloud',
          apiUrl,
          auth: {
            authority: `https://cognito-idp.${Aws.REGION}.amazonaws.com/${this.userPool.userPoolId}`,
            clientId: client.userPoolClientId,
            domain: domain.baseUrl(),
          },
        }),
      ],
      // Asset names carry their content hash; index.html and config.json are re-read on each visit.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    this.acknowledgeDeploymentHandler();

    new CfnOutput(Stack.of(this), 'ConsoleUrl', {
      description: 'The Leadline console: sign in with a user of the ConsoleUserPoolId pool',
      value: `${consoleUrl}/`,
    });
    new CfnOutput(Stack.of(this), 'ConsoleUserPoolId', {
      description: 'Add the business’s users here (README.md, "The console in the cloud")',
      value: this.userPool.userPoolId,
    });
    new CfnOutput(Stack.of(this), 'ConsoleApiUrl', {
      description: 'The console read API (needs a Cognito access token)',
      value: apiUrl,
    });
  }

  /** CDK's BucketDeployment runs a Lambda of CDK's own making: its findings, each with the reason. */
  private acknowledgeDeploymentHandler() {
    const role = this.deployment.handlerRole;
    Validations.of(role.node.scope as Construct).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'CDK’s BucketDeployment handler runtime (Python) is chosen by aws-cdk-lib; it runs only while deploying.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK’s BucketDeployment handler writes its logs with this managed policy; it runs only while deploying.',
    });
    const site = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnResource);
    const copying = [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::<${site}.Arn>/*`,
      // cloudfront:CreateInvalidation has no resource-level permission.
      'Resource::*',
    ];
    for (const finding of copying) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          'CDK’s BucketDeployment handler copies the built console from the CDK assets bucket into the console bucket (objects under each) and invalidates index.html and config.json on the distribution.',
      });
    }
  }
}
