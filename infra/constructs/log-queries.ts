import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** What "Everything for a lead" filters on until someone types a real lead id in its place. */
export const LEAD_ID_PLACEHOLDER = 'ld_00000000000000000000';

/**
 * Saved CloudWatch Logs Insights queries over every function's log group, under `Leadline/` in the
 * console (Logs Insights → Queries). They read the keys every Leadline log line carries: Powertools'
 * `service`, `level` and `correlation_id` (the inbound message id), and `leadId`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
 */
export class LeadlineLogQueries extends Construct {
  constructor(scope: Construct, id: string, props: { logGroups: readonly ILogGroup[] }) {
    super(scope, id);
    const logGroups = [...props.logGroups];
    new QueryDefinition(this, 'EverythingForALead', {
      queryDefinitionName: 'Leadline/Everything for a lead',
      logGroups,
      queryString: new QueryString({
        fields: ['@timestamp', 'service', 'level', 'message', 'correlation_id', 'error.message'],
        filterStatements: [`leadId = "${LEAD_ID_PLACEHOLDER}"`],
        sort: '@timestamp asc',
        limit: 1000,
      }),
    });
    new QueryDefinition(this, 'ErrorsByFunction', {
      queryDefinitionName: 'Leadline/Errors by function',
      logGroups,
      queryString: new QueryString({
        // Uncaught errors come from the Lambda runtime without Powertools' `service`: the log group names them.
        fields: ['coalesce(service, @log) as functionName', 'coalesce(error.name, errorType) as errorName'],
        filterStatements: ['level = "ERROR"'],
        statsStatements: ['count(*) as errors, latest(@timestamp) as lastSeen by functionName, errorName'],
        sort: 'errors desc',
      }),
    });
  }
}
