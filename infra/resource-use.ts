import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions, handlerEntry, REPO_ROOT, topologyFunctions } from './bundling.ts';

/**
 * Which of the stack's resources a function uses, read from what its code imports: a function
 * whose code includes the lead store gets the leads table, one that includes the blob store gets
 * the bucket, and so on. The topology says which secrets a function reads; its imports say which
 * table, bucket and bus it touches, so a new webhook or subscriber gets exactly its grants
 * without anyone listing them.
 */
export interface ResourceUse {
  readonly leadsTable: boolean;
  /** Writes the leads' history in batches (BatchWriteItem on the leads table). */
  readonly historyBatchWrites: boolean;
  readonly idempotencyTable: boolean;
  readonly bus: boolean;
  readonly rawBucket: boolean;
  /** EventBridge Scheduler one-time schedules (timers). */
  readonly timers: boolean;
}

/** What reaches each resource: our modules (paths from the repository root) or packages (import paths). */
export const RESOURCE_MODULES: Record<
  keyof ResourceUse,
  { files?: readonly string[]; packages?: readonly string[] }
> = {
  // The lead store, the leads' recorded history, the webhooks' acceptance records, the reps' routing,
  // and the sandbox adapters that keep their records in the leads table.
  leadsTable: {
    files: [
      'shared/adapters/aws/dynamo-lead-store.ts',
      'shared/adapters/aws/dynamo-lead-history.ts',
      'shared/adapters/aws/dynamo-inbound-acceptance.ts',
      'shared/adapters/aws/dynamo-rep-routing.ts',
      'shared/adapters/sandbox/sandbox-outbox.ts',
      'shared/adapters/sandbox/sandbox-crm.ts',
      'shared/adapters/sandbox/sandbox-calendar.ts',
    ],
  },
  // The timeline's batches of recorded events.
  historyBatchWrites: { files: ['shared/adapters/aws/dynamo-lead-history.ts'] },
  // Powertools idempotency's DynamoDB persistence layer.
  idempotencyTable: { packages: ['@aws-lambda-powertools/idempotency/dynamodb'] },
  bus: { files: ['shared/adapters/aws/eventbridge-publisher.ts'] },
  rawBucket: { files: ['shared/adapters/aws/s3-blob-store.ts'] },
  timers: { files: ['shared/adapters/aws/eventbridge-scheduler-timers.ts'] },
};

/** Fails loudly when a module above moved: a silent miss would drop a grant. */
export const checkResourceModules = () => {
  const missing = Object.values(RESOURCE_MODULES).flatMap(({ files = [], packages = [] }) => [
    ...files.filter((path) => !existsSync(join(REPO_ROOT, path))),
    ...packages.filter((name) => {
      const [scope, pkg] = name.split('/');
      return !existsSync(join(REPO_ROOT, 'node_modules', scope!, pkg!, 'package.json'));
    }),
  ]);
  if (missing.length > 0) {
    throw new Error(`infra/resource-use.ts names modules that no longer exist: ${missing.join(', ')}`);
  }
};

/**
 * Our source files in a function's bundle (after tree shaking) and the packages it imports. The
 * packages are left out of this build (they are not ours and cannot reach our resources by
 * themselves), which keeps it to milliseconds per function.
 */
export const importsOf = async (name: string): Promise<{ files: Set<string>; packages: Set<string> }> => {
  const result = await build({
    entryPoints: [handlerEntry(name)],
    bundle: true,
    write: false,
    outdir: join(REPO_ROOT, 'cdk.out', 'analysis'),
    platform: 'node',
    format: bundleOptions.format,
    target: bundleOptions.target,
    packages: 'external',
    absWorkingDir: REPO_ROOT,
    metafile: true,
    logLevel: 'silent',
  });
  const files = new Set<string>();
  const packages = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput > 0) files.add(path);
    }
    for (const imported of output.imports) if (imported.external) packages.add(imported.path);
  }
  return { files, packages };
};

export const resourceUseOf = (imports: {
  files: ReadonlySet<string>;
  packages: ReadonlySet<string>;
}): ResourceUse => {
  const uses = (key: keyof ResourceUse) => {
    const { files = [], packages = [] } = RESOURCE_MODULES[key];
    return files.some((f) => imports.files.has(f)) || packages.some((p) => imports.packages.has(p));
  };
  return {
    leadsTable: uses('leadsTable'),
    historyBatchWrites: uses('historyBatchWrites'),
    idempotencyTable: uses('idempotencyTable'),
    bus: uses('bus'),
    rawBucket: uses('rawBucket'),
    timers: uses('timers'),
  };
};

/** Every topology function's resource use (esbuild, nothing written). */
export const analyseResourceUse = async (): Promise<ReadonlyMap<string, ResourceUse>> => {
  checkResourceModules();
  const entries = await Promise.all(
    topologyFunctions().map(async ({ name }) => [name, resourceUseOf(await importsOf(name))] as const),
  );
  return new Map(entries);
};
