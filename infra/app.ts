/**
 * The CDK app (`cdk.json` runs it with tsx): one Leadline stack, environment-agnostic so synth
 * needs no AWS credentials, configured from `leadline:*` context, checked by cdk-nag's
 * AwsSolutions pack on every synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LeadlineConfigError, readLeadlineConfig } from './config.ts';
import { analyseResourceUse } from './resource-use.ts';
import { LeadlineStack } from './stack.ts';

export const STACK_NAME = 'Leadline';

const app = new App();
let config: ReturnType<typeof readLeadlineConfig>;
try {
  config = readLeadlineConfig((key) => app.node.tryGetContext(key), Object.keys(app.node.getAllContext()));
} catch (error) {
  if (!(error instanceof LeadlineConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
new LeadlineStack(app, STACK_NAME, { config, resourceUse: await analyseResourceUse() });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
