import OpenAI from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';

/**
 * What a failed OpenAI call means for us: `TransientError` when the API may answer later
 * (timeout, connection, 408, 409, 429, 5xx), `PermanentError` otherwise. Messages never carry
 * the lead's words, so they are safe to log; the SDK's error is kept as `cause`.
 * https://platform.openai.com/docs/guides/error-codes
 */
export function toOpenAiError(error: unknown): Error {
  if (error instanceof TransientError || error instanceof PermanentError) return error;
  // A caller's deadline (an AbortSignal) ran out, retries included.
  if (error instanceof OpenAI.APIUserAbortError) {
    return new TransientError('OpenAI timed out', undefined, { cause: error });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new TransientError('OpenAI timed out', undefined, { cause: error });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new TransientError('OpenAI could not be reached', undefined, { cause: error });
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    const message = `OpenAI answered HTTP ${status}`;
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      return new TransientError(message, retryAfterMs(error.headers), { cause: error });
    }
    return new PermanentError(message, { cause: error });
  }
  if (error instanceof LengthFinishReasonError) {
    return new PermanentError('OpenAI stopped at the token limit', { cause: error });
  }
  if (error instanceof ContentFilterFinishReasonError) {
    return new PermanentError('OpenAI content filter rejected the message', { cause: error });
  }
  // The SDK parses the content while building the result: invalid JSON or a schema mismatch
  // surfaces here. Their messages quote the content, so only the class name is kept.
  const name = error instanceof Error ? error.name : typeof error;
  return new PermanentError(`OpenAI answer could not be parsed (${name})`, { cause: error });
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const seconds = Number.parseFloat(headers?.get('retry-after') ?? '');
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export { describeFailure } from './describe-failure.ts';
