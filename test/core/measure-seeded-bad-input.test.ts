import { describe, expect, it } from 'vitest';

import { ErrorCodes, InvalidArgumentError, measureKeygen } from '../../src/index.js';

const badOptions: [unknown, RegExp][] = [
  [{ seed: -1 }, /option "seed" must be a whole number from 0 to 9007199254740991 \(got -1\)/],
  [{ seed: 1.5 }, /option "seed" must be a whole number .* \(got 1.5\)/],
  [{ seed: 2 ** 53 }, /option "seed" must be a whole number .* \(got 9007199254740992\)/],
  [{ seed: Number.NaN }, /option "seed" must be a number \(got NaN\)/],
  [{ seed: '7' }, /option "seed" must be a number \(got "7"\)/],
  [{ seed: 7n }, /option "seed" must be a number \(got 7\)/],
  [{ seed: 1, firstKey: -3 }, /option "firstKey" must be a whole number from 0 to 9007199254740991 \(got -3\)/],
  [{ seed: 1, firstKey: 0.5 }, /option "firstKey" must be a whole number .* \(got 0.5\)/],
  [{ firstKey: 3 }, /option "firstKey" needs "seed"/],
];

describe.each(badOptions)('options %o', (options, message) => {
  it('measureKeygen rejects them with a one-line KS_INVALID_OPTION', async () => {
    const error = await measureKeygen('ed25519', { iterations: 1, ...(options as object) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: ErrorCodes.invalidOption });
    expect((error as Error).message).toMatch(/^measureKeygen: /);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
