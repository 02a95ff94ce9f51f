import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { providerSecrets } from './provider-secrets.ts';

export const METRICS_NAMESPACE = 'Leadline';

/**
 * One Logger and one Metrics per function, built at module scope. Logs are JSON; personal data
 * is masked by the callers (see `maskContact`), never logged raw. Metrics' own warnings go
 * through the logger, so they carry the invocation's context and obey the log level.
 */
export const createObservability = (serviceName: string) => {
  const logger = new Logger({ serviceName });
  return { logger, metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName, logger }) };
};

/**
 * Publishes the invocation's metrics (CloudWatch EMF) after the handler, or after it throws; an
 * invocation that recorded none publishes nothing and says nothing (Powertools' `logMetrics`
 * warns on every such invocation, and many are: a status callback that changes nothing, a lead
 * that needs no notification).
 */
export const publishMetrics = (metrics: Metrics): MiddlewareObj => {
  const publish = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
};

/**
 * The middleware every function's chain starts with, in this order: the Lambda context on every
 * log line (first, so even a failure of what follows is logged with it; temporary keys such as the
 * correlation id are dropped after each invocation), the metrics, then the provider secrets.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/#capturing-lambda-context-info
 */
export const observabilityMiddleware = (tools: { logger: Logger; metrics: Metrics }): MiddlewareObj[] => [
  injectLambdaContext(tools.logger, { resetKeys: true }),
  publishMetrics(tools.metrics),
  providerSecrets(tools.logger),
];

/** Names of the business metrics every dashboard reads (STYLE.md: named for the business). */
export const MetricName = {
  LeadsReceived: 'LeadsReceived',
  InboundMessages: 'InboundMessages',
  WebhookRejected: 'WebhookRejected',
  DuplicateWebhooks: 'DuplicateWebhooks',
  QualifiedByLlm: 'QualifiedByLlm',
  QualifiedByRules: 'QualifiedByRules',
  LeadsScored: 'LeadsScored',
  HotLeads: 'HotLeads',
  RepliesSent: 'RepliesSent',
  RepliesSuppressed: 'RepliesSuppressed',
  RepliesHeld: 'RepliesHeld',
  /** A send interrupted where the provider cannot say whether it went out: never resent. */
  RepliesUnconfirmed: 'RepliesUnconfirmed',
  HeldTextsDispatched: 'HeldTextsDispatched',
  SpeedToLeadMs: 'SpeedToLeadMs',
  ReplyLatencyMs: 'ReplyLatencyMs',
  CrmSyncs: 'CrmSyncs',
  CrmSyncFailures: 'CrmSyncFailures',
  MeetingsOffered: 'MeetingsOffered',
  MeetingsBooked: 'MeetingsBooked',
  RepsNotified: 'RepsNotified',
  OptOuts: 'OptOuts',
  TextStatusesRecorded: 'TextStatusesRecorded',
  TextsUndelivered: 'TextsUndelivered',
  MediaArchived: 'MediaArchived',
  MediaSkipped: 'MediaSkipped',
  EmailEventsRecorded: 'EmailEventsRecorded',
  EmailAddressesUnreachable: 'EmailAddressesUnreachable',
  LeadEventsRecorded: 'LeadEventsRecorded',
  /** Calls to the business number nobody answered. */
  MissedCalls: 'MissedCalls',
  MissedCallsTextedBack: 'MissedCallsTextedBack',
  /** A caller whose call was missed wrote back: the lead is won back into a conversation. */
  MissedCallsRecovered: 'MissedCallsRecovered',
  FollowUpsSent: 'FollowUpsSent',
  /** A lead who had gone quiet wrote back after a follow-up. */
  RepliesAfterFollowUp: 'RepliesAfterFollowUp',
  RemindersSent: 'RemindersSent',
  BookingPageEvents: 'BookingPageEvents',
  /** From a rep's alert about a hot lead to their answer by text (ms). */
  RepResponseMs: 'RepResponseMs',
  /** A rep let the response time run out and the lead went to the next rep. */
  RepReassignments: 'RepReassignments',
  /** Every suited rep let the response time run out: only the manager was left to tell. */
  HotLeadsUnanswered: 'HotLeadsUnanswered',
} as const;
