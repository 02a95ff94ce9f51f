import { describe, expect, it } from 'vitest';
import { callProvider, providerError, retryAfterMs } from '#shared/adapters/provider-call.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';

const fast = { retries: 2, maxDelayMs: 50, minDelayMs: 1 };

describe('providerError', () => {
  it.each([429, 408, 500, 502, 503, undefined])('treats status %s as transient', (status) => {
    expect(providerError({ provider: 'x', status, message: 'm' })).toBeInstanceOf(TransientError);
  });

  it.each([400, 401, 403, 404, 422])('treats status %s as permanent', (status) => {
    expect(providerError({ provider: 'x', status, message: 'm' })).toBeInstanceOf(PermanentError);
  });

  it('names the provider and status in the message and keeps the Retry-After', () => {
    const error = providerError({ provider: 'HubSpot', status: 429, retryAfter: '2', message: 'slow down' });
    expect(error.message).toBe('HubSpot 429: slow down');
    expect((error as TransientError).retryAfterMs).toBe(2000);
  });
});

describe('retryAfterMs', () => {
  it('reads delta seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(retryAfterMs('Sat, 21 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('callProvider', () => {
  it('retries a transient failure and returns the later success', async () => {
    let calls = 0;
    const result = await callProvider(async () => {
      calls += 1;
      if (calls < 3) throw new TransientError('503');
      return 'ok';
    }, fast);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('throws the last transient error once the budget is spent', async () => {
    let calls = 0;
    const call = callProvider(async () => {
      calls += 1;
      throw new TransientError(`503 #${calls}`);
    }, fast);
    await expect(call).rejects.toThrow('503 #3');
    expect(calls).toBe(3);
  });

  it('does not retry a permanent failure', async () => {
    let calls = 0;
    const call = callProvider(async () => {
      calls += 1;
      throw new PermanentError('invalid number');
    }, fast);
    await expect(call).rejects.toBeInstanceOf(PermanentError);
    expect(calls).toBe(1);
  });

  it('leaves a Retry-After longer than the budget to SQS instead of waiting', async () => {
    let calls = 0;
    const call = callProvider(async () => {
      calls += 1;
      throw new TransientError('429', 60_000);
    }, fast);
    await expect(call).rejects.toBeInstanceOf(TransientError);
    expect(calls).toBe(1);
  });
});
