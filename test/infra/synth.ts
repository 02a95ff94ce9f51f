import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from '../../infra/bundling.ts';
import { readLeadlineConfig } from '../../infra/config.ts';
import { analyseResourceUse, type ResourceUse } from '../../infra/resource-use.ts';
import { LeadlineStack } from '../../infra/stack.ts';

/** The context `cdk synth` reads from `cdk.json`. */
export const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
    .context;

export interface Synthesized {
  app: App;
  stack: LeadlineStack;
  template: Template;
  resourceUse: ReadonlyMap<string, ResourceUse>;
  /** The logical id of a construct's CloudFormation resource. */
  logicalId(construct: { node: { defaultChild?: unknown } }): string;
}

/**
 * The app as `cdk synth` builds it (cdk.json's context, cdk-nag's AwsSolutions checks), with
 * asset bundling skipped (`aws:cdk:bundling-stacks`, CDK's own switch): the template is the same
 * except for asset hashes; the real esbuild bundles are built by the bundle check.
 */
let analysis: Promise<ReadonlyMap<string, ResourceUse>> | undefined;

export const synthesize = async (
  context: Record<string, unknown> = {},
  /** Adds to the stack before synthesis (e.g. a resource cdk-nag must refuse). */
  extend?: (stack: LeadlineStack) => void,
): Promise<Synthesized> => {
  const outdir = mkdtempSync(join(tmpdir(), 'leadline-synth-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJsonContext(),
      // An alarm address, so synth has no warning to report on every test run.
      'leadline:alarmEmail': 'alarms@leadline.example',
      ...context,
      'aws:cdk:bundling-stacks': [],
    },
  });
  const config = readLeadlineConfig((key) => app.node.tryGetContext(key));
  analysis ??= analyseResourceUse();
  const resourceUse = await analysis;
  const stack = new LeadlineStack(app, 'Leadline', { config, resourceUse });
  extend?.(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    // Runs the validation plugins: throws on any unacknowledged cdk-nag finding.
    app.synth();
    return {
      app,
      stack,
      template: Template.fromStack(stack),
      resourceUse,
      logicalId: (construct) => stack.getLogicalId(construct.node.defaultChild as CfnResource),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};
