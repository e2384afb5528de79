/**
 * What `keygen --format openssh` checks before any key is generated, so that a refusal costs no RSA search and
 * leaves no file behind: the algorithm has an OpenSSH key type, and the comment is one OpenSSH shows back as given.
 */
import { ErrorCodes, findAlgorithm, InvalidArgumentError, type KeyFormat, openSSHCommentProblem, requireOpenSSHAlgorithm } from '../core/index.js';

/** The --comment to use (undefined: the library's default), or a one-line refusal. */
export function checkOpenSSHRequest(algorithm: string, options: { format: KeyFormat; comment?: string }): string | undefined {
  if (options.format !== 'openssh') {
    if (options.comment !== undefined) throw new InvalidArgumentError(ErrorCodes.invalidOption, '--comment is only for --format openssh');
    return undefined;
  }
  // An id the table does not know is the generator's to refuse, with its own code (KS_UNKNOWN_ALGORITHM, ...).
  const known = findAlgorithm(algorithm);
  if (known !== null) requireOpenSSHAlgorithm(known.id, '--format openssh');
  if (options.comment === undefined) return undefined;
  const problem = openSSHCommentProblem(options.comment);
  if (problem !== null) throw new InvalidArgumentError(ErrorCodes.invalidOption, `--comment ${problem}`);
  return options.comment;
}
