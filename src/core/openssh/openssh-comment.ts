/**
 * The comment of an OpenSSH key: the text after the key on an authorized_keys line, also stored inside the
 * private key file. keyscope admits only comments that every OpenSSH tool shows back exactly as given, so that
 * the fingerprint line keyscope prints is byte for byte what `ssh-keygen -l` prints:
 * - printable ASCII only: ssh-keygen escapes anything else unless the locale is UTF-8 (`\303\251` for "é");
 * - no leading space (a reader skips it), no trailing space (invisible, yet part of the comment);
 * - no leading "#" (ssh-keygen -l then shows "no comment").
 * An empty comment means none, as with `ssh-keygen -C ''`.
 */

export const maxCommentLength = 255;

/**
 * The default comment. ssh-keygen's is user@host; keyscope's names the tool and the algorithm only, because a
 * public key is made to be handed out (to servers, to CI, to a repository) and a user or host name in it would
 * travel with it without anyone having chosen that. `--comment "$USER@$(hostname)"` gives ssh-keygen's.
 */
export function defaultOpenSSHComment(algorithm: string): string {
  return `keyscope@${algorithm}`;
}

/** Why `comment` cannot be an OpenSSH key comment ("must ..."), or null when it can. */
export function openSSHCommentProblem(comment: string): string | null {
  if (comment.length > maxCommentLength) return `must be at most ${maxCommentLength} characters`;
  if (!/^[\x20-\x7e]*$/.test(comment)) return 'must be printable ASCII on one line (no tabs, newlines or non-ASCII letters)';
  if (comment.startsWith(' ') || comment.endsWith(' ')) return 'must not start or end with a space';
  if (comment.startsWith('#')) return 'must not start with "#" (ssh-keygen would read it as no comment)';
  return null;
}
