import { describe, expect, it } from 'vitest';

import { ErrorCodes, InvalidArgumentError, measureKeygen, profile } from '../../src/index.js';

const badOptions: [unknown, RegExp][] = [
  [{ iterations: 0 }, /option "iterations" must be a whole number from 1 to 10000000 \(got 0\)/],
  [{ iterations: -5 }, /option "iterations" must be a whole number .* \(got -5\)/],
  [{ iterations: 1.5 }, /option "iterations" must be a whole number .* \(got 1.5\)/],
  [{ iterations: Number.NaN }, /option "iterations" must be a number \(got NaN\)/],
  [{ iterations: Number.POSITIVE_INFINITY }, /option "iterations" .* \(got Infinity\)/],
  [{ iterations: 1e12 }, /option "iterations" must be a whole number from 1 to 10000000 \(got 1000000000000\)/],
  [{ iterations: '100' }, /option "iterations" must be a number \(got "100"\)/],
  [{ timeMs: 0 }, /option "timeMs" must be a number of milliseconds above 0/],
  [{ timeMs: -1 }, /option "timeMs" .* \(got -1\)/],
  [{ timeMs: Number.POSITIVE_INFINITY }, /option "timeMs" .* \(got Infinity\)/],
  [{ timeMs: 4_000_000 }, /option "timeMs" .* at most 3600000 \(got 4000000\)/],
  [{ iterations: 10, timeMs: 10 }, /give "iterations" or "timeMs", not both/],
  [{ warmup: -1 }, /option "warmup" must be a whole number from 0 to 1000000 \(got -1\)/],
  [{ counters: 'yes' }, /option "counters" must be a boolean or \{ hardware, software, rusage, memory \} booleans \(got "yes"\)/],
  [{ counters: { disk: true } }, /unknown option "counters.disk"/],
  [{ iteration: 10 }, /unknown option "iteration"/],
  [[], /options .* \(got an array\)/],
];

describe.each(badOptions)('options %o', (options, message) => {
  it('measureKeygen rejects them with KS_INVALID_OPTION', async () => {
    const error = await measureKeygen('ed25519', options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: ErrorCodes.invalidOption });
    expect((error as Error).message).toMatch(/^measureKeygen: /);
    expect((error as Error).message).toMatch(message);
  });

  it('profile rejects them the same way', async () => {
    const error = await profile('noop', () => {}, options as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.invalidOption });
    expect((error as Error).message).toMatch(/^profile: /);
  });
});

it('measureKeygen rejects bad algorithms with their own codes', async () => {
  await expect(measureKeygen('rsa-1000' as never)).rejects.toMatchObject({ code: ErrorCodes.invalidKeySize });
  await expect(measureKeygen('nope' as never)).rejects.toMatchObject({ code: ErrorCodes.unknownAlgorithm });
  await expect(measureKeygen('rsa-1024', { iterations: 1 })).rejects.toMatchObject({ code: ErrorCodes.weakKeySize });
  await expect(measureKeygen(undefined as never)).rejects.toMatchObject({ code: ErrorCodes.invalidOption });
});
