import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../scripts/local/lambda-context.ts';

/**
 * Registers a Lambda context with a use case that keeps Powertools idempotency records, as its
 * handler does on every invocation, so an in-progress record expires with the "invocation" (and
 * Powertools has a remaining time to read). Returns the use case.
 */
export const invoked = <T extends { registerLambdaContext(context: Context): void }>(
  subject: T,
  functionName = 'leadline-test',
): T => {
  subject.registerLambdaContext(
    lambdaContext({ functionName, timeoutSeconds: 900, memoryMb: 512, region: 'us-east-1' }),
  );
  return subject;
};
