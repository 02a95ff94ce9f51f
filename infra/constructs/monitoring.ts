import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName } from '#shared/lambda/observability.ts';
import type { ScheduledFunction, Subscriber, Webhook } from '#shared/pipeline.ts';
import { PREFIX } from '../names.ts';

export interface LeadlineMonitoringProps {
  readonly api: IHttpApi;
  readonly webhooks: readonly { entry: Webhook; fn: IFunction }[];
  readonly subscribers: readonly {
    entry: Subscriber;
    fn: IFunction;
    queue: IQueue;
    deadLetterQueue: IQueue;
  }[];
  readonly scheduled: readonly { entry: ScheduledFunction; fn: IFunction }[];
  readonly tables: readonly ITable[];
  readonly alarmTopic: ITopic;
  readonly speedToLeadObjectiveSeconds: number;
  readonly oldestMessageAlarmMinutes: number;
}

const PERIOD = Duration.minutes(5);

/**
 * A business metric summed over every function that emits it. Powertools Metrics adds a `service`
 * dimension (the function's name) to everything it emits, so a metric is found by name whatever
 * function emits it, and no function is named here.
 */
const total = (metricName: string, label: string) =>
  new MathExpression({
    expression: `SUM(SEARCH('{${METRICS_NAMESPACE},service} MetricName="${metricName}"', 'Sum', ${PERIOD.toSeconds()}))`,
    usingMetrics: {},
    label,
    period: PERIOD,
  });

/** A statistic per emitting function (percentiles cannot be added across functions). */
const perService = (metricName: string, statistic: string, label: string) =>
  new MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},service} MetricName="${metricName}"', '${statistic}', ${PERIOD.toSeconds()})`,
    usingMetrics: {},
    label,
    period: PERIOD,
  });

const emitted = (metricName: string, service: string, statistic: string) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service },
    statistic,
    period: PERIOD,
  });

/**
 * The dashboard and alarms, through cdk-monitoring-constructs: per webhook, subscriber and
 * scheduled function from the topology, plus the API, the tables and the business metrics the
 * handlers emit (`shared/lambda/observability.ts`). Every alarm goes to the SNS topic.
 */
export class LeadlineMonitoring extends Construct {
  readonly facade: MonitoringFacade;
  readonly dashboards: DefaultDashboardFactory;

  constructor(scope: Construct, id: string, props: LeadlineMonitoringProps) {
    super(scope, id);
    this.dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: PREFIX,
      createDashboard: true,
      createSummaryDashboard: false,
      createAlarmDashboard: false,
    });
    const facade = new MonitoringFacade(this, 'Facade', {
      metricFactoryDefaults: { namespace: METRICS_NAMESPACE },
      alarmFactoryDefaults: {
        alarmNamePrefix: PREFIX,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: props.alarmTopic }),
        datapointsToAlarm: 1,
        evaluationPeriods: 1,
      },
      dashboardFactory: this.dashboards,
    });
    this.facade = facade;

    const objectiveMs = props.speedToLeadObjectiveSeconds * 1000;
    const objective = { value: objectiveMs, label: `objective ${props.speedToLeadObjectiveSeconds} s` };

    facade.addLargeHeader('Leadline: leads, replies and speed to lead').monitorCustom({
      alarmFriendlyName: 'Business',
      humanReadableName: 'Business metrics',
      metricGroups: [
        {
          title: 'Inbound messages per channel',
          metrics: props.webhooks.map(({ entry }) =>
            emitted(MetricName.InboundMessages, entry.name, 'Sum').with({ label: entry.name }),
          ),
        },
        {
          title: 'Leads received and replies',
          metrics: [
            total(MetricName.LeadsReceived, 'leads received'),
            total(MetricName.RepliesSent, 'replies sent'),
            total(MetricName.RepliesHeld, 'held for quiet hours'),
            total(MetricName.RepliesSuppressed, 'suppressed'),
          ],
        },
        {
          title: 'Speed to lead (first message to first reply, ms)',
          metrics: [
            perService(MetricName.SpeedToLeadMs, 'p50', 'p50'),
            perService(MetricName.SpeedToLeadMs, 'p95', 'p95'),
          ],
          horizontalAnnotations: [objective],
        },
        {
          title: 'Qualification: LLM vs rules',
          metrics: [
            total(MetricName.QualifiedByLlm, 'by the LLM'),
            total(MetricName.QualifiedByRules, 'by rules'),
          ],
        },
        {
          title: 'CRM syncs and failures',
          metrics: [total(MetricName.CrmSyncs, 'synced'), total(MetricName.CrmSyncFailures, 'failed')],
        },
        {
          title: 'Meetings',
          metrics: [total(MetricName.MeetingsOffered, 'offered'), total(MetricName.MeetingsBooked, 'booked')],
        },
        {
          title: 'Hot leads, reps notified, opt-outs',
          metrics: [
            total(MetricName.HotLeads, 'hot leads'),
            total(MetricName.RepsNotified, 'reps notified'),
            total(MetricName.OptOuts, 'opt-outs'),
          ],
        },
        {
          title: 'Conversions: follow-ups and replies after them, missed calls texted back and recovered',
          metrics: [
            total(MetricName.FollowUpsSent, 'follow-ups sent'),
            total(MetricName.RepliesAfterFollowUp, 'replies after a follow-up'),
            total(MetricName.MissedCalls, 'missed calls'),
            total(MetricName.MissedCallsTextedBack, 'texted back'),
            total(MetricName.MissedCallsRecovered, 'recovered (caller wrote back)'),
          ],
        },
        {
          title: 'Rep response time, alert to answer by text (ms)',
          metrics: [
            emitted(MetricName.RepResponseMs, 'route', 'p50').with({ label: 'p50' }),
            emitted(MetricName.RepResponseMs, 'route', 'p95').with({ label: 'p95' }),
          ],
        },
        {
          title: 'Hot leads passed on: reassignments, and leads no rep answered',
          metrics: [
            total(MetricName.RepReassignments, 'reassigned'),
            total(MetricName.HotLeadsUnanswered, 'no rep answered'),
          ],
        },
        {
          title: 'Meetings booked (calendar and booking pages) and reminders',
          metrics: [
            total(MetricName.MeetingsBooked, 'booked'),
            total(MetricName.BookingPageEvents, 'booking page events'),
            total(MetricName.RemindersSent, 'reminders sent'),
          ],
        },
        {
          title: 'Webhooks refused and repeated',
          metrics: [
            total(MetricName.WebhookRejected, 'refused'),
            total(MetricName.DuplicateWebhooks, 'repeats'),
          ],
        },
      ],
    });

    // A reply interrupted where the provider cannot say whether it went out is never resent (at
    // most once): someone should look at the lead.
    facade.monitorCustom({
      alarmFriendlyName: 'RepliesUnconfirmed',
      humanReadableName: 'Replies unconfirmed',
      metricGroups: [
        {
          title: 'Replies whose send was interrupted (count)',
          metrics: [
            {
              metric: total(MetricName.RepliesUnconfirmed, 'unconfirmed'),
              alarmFriendlyName: 'RepliesUnconfirmed',
              addAlarm: {
                Warning: {
                  threshold: 0,
                  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                  treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
                  alarmDescriptionOverride:
                    'A reply was interrupted where the provider cannot say whether it went out; it is marked unconfirmed on the lead and was not sent again.',
                },
              },
            },
          ],
        },
      ],
    });

    // A hot lead (or an emergency) that every suited rep let time out: someone must call them.
    facade.monitorCustom({
      alarmFriendlyName: 'HotLeadsUnanswered',
      humanReadableName: 'Hot leads no rep answered',
      metricGroups: [
        {
          title: 'Hot leads every suited rep let time out (count)',
          metrics: [
            {
              metric: total(MetricName.HotLeadsUnanswered, 'unanswered'),
              alarmFriendlyName: 'HotLeadsUnanswered',
              addAlarm: {
                Warning: {
                  threshold: 0,
                  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                  treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
                  alarmDescriptionOverride:
                    'Every suited rep let a hot lead’s response time run out; the manager was told (if the profile names one). Someone should call the lead.',
                },
              },
            },
          ],
        },
      ],
    });

    /*
     * Speed to lead of the replies the pipeline sends as a lead writes. A text held for quiet
     * hours waits by design (its speed to lead is hours), so the scheduled sender's metric is on
     * the dashboard but not in the alarm. An alarm's math takes at most 10 metrics, so one alarm
     * per 10 subscribers.
     */
    const chunks: (typeof props.subscribers)[] = [];
    for (let i = 0; i < props.subscribers.length; i += 10) chunks.push(props.subscribers.slice(i, i + 10));
    chunks.forEach((chunk, index) => {
      const usingMetrics: Record<string, IMetric> = {};
      chunk.forEach(({ entry }, i) => {
        usingMetrics[`s${i}`] = emitted(MetricName.SpeedToLeadMs, entry.name, 'p95');
      });
      const suffix = chunks.length > 1 ? `${index + 1}` : '';
      facade.monitorCustom({
        alarmFriendlyName: `SpeedToLead${suffix}`,
        humanReadableName: 'Speed-to-lead objective',
        metricGroups: [
          {
            title: 'Speed to lead p95, replies sent at once (ms)',
            metrics: [
              {
                metric: new MathExpression({
                  expression: `MAX([${Object.keys(usingMetrics).join(', ')}])`,
                  usingMetrics,
                  label: 'speed to lead p95',
                  period: PERIOD,
                }),
                alarmFriendlyName: `SpeedToLeadP95${suffix}`,
                addAlarm: {
                  Critical: {
                    threshold: objectiveMs,
                    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                    treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
                    alarmDescriptionOverride: `Speed to lead p95 is over the ${props.speedToLeadObjectiveSeconds} s objective: leads wait too long for a first reply.`,
                  },
                },
              },
            ],
          },
        ],
      });
    });

    facade.addLargeHeader('Webhooks').monitorApiGatewayV2HttpApi({
      api: props.api,
      alarmFriendlyName: 'WebhookApi',
      humanReadableName: 'Webhook API (4xx, 5xx, latency)',
      add5xxCountAlarm: { Critical: { maxErrorCount: 0 } },
    });
    for (const { entry, fn } of props.webhooks) {
      facade.monitorLambdaFunction({
        lambdaFunction: fn,
        alarmFriendlyName: entry.name,
        humanReadableName: `${entry.name} (${entry.method} ${entry.path})`,
        addFaultCountAlarm: { Critical: { maxErrorCount: 0 } },
      });
    }

    facade.addLargeHeader('Pipeline: queues, dead letters and functions');
    for (const { entry, fn, queue, deadLetterQueue } of props.subscribers) {
      facade
        .monitorSqsQueueWithDlq({
          queue,
          deadLetterQueue,
          alarmFriendlyName: `${entry.name}-queue`,
          humanReadableName: `${entry.name} queue`,
          addQueueMaxMessageAgeAlarm: {
            Warning: { maxAgeInSeconds: props.oldestMessageAlarmMinutes * 60 },
          },
          // Any message here is a lead step that failed maxReceiveCount times: redrive it once fixed.
          addDeadLetterQueueMaxSizeAlarm: { Critical: { maxMessageCount: 0 } },
        })
        .monitorLambdaFunction({
          lambdaFunction: fn,
          alarmFriendlyName: entry.name,
          humanReadableName: `${entry.name} function`,
          addFaultCountAlarm: { Critical: { maxErrorCount: 0 } },
        });
    }
    for (const { entry, fn } of props.scheduled) {
      facade.monitorLambdaFunction({
        lambdaFunction: fn,
        alarmFriendlyName: entry.name,
        humanReadableName: `${entry.name} (${entry.schedule})`,
        addFaultCountAlarm: { Critical: { maxErrorCount: 0 } },
      });
    }

    const functions = [...props.webhooks, ...props.subscribers, ...props.scheduled];
    facade.monitorCustom({
      alarmFriendlyName: 'Durations',
      humanReadableName: 'Function duration p95',
      metricGroups: [
        {
          title: 'Duration p95 per function (ms)',
          metrics: functions.map(({ entry, fn }) =>
            fn.metricDuration({ statistic: 'p95', period: PERIOD, label: entry.name }),
          ),
        },
      ],
    });

    facade.addLargeHeader('Storage');
    for (const table of props.tables) facade.monitorDynamoTable({ table });
  }
}
