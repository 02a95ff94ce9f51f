import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'Leadline';

/**
 * One Logger and one Metrics per function, built at module scope. Logs are JSON; personal data
 * is masked by the callers (see `maskContact`), never logged raw.
 */
export const createObservability = (serviceName: string) => ({
  logger: new Logger({ serviceName }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
});

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
} as const;
