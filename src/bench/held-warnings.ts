/**
 * Process warnings held back while a progress bar owns the terminal's last line. Node prints a warning (an
 * ExperimentalWarning the first time WebCrypto makes an Ed448 or X448 key on Node 20, for one) from its own
 * 'warning' listener, straight into the middle of the bar. Node's listeners are taken off while the bar runs
 * and given every held warning, in order, once it has stopped; so they print as Node prints them, only later,
 * and `--no-warnings` (no listener) still prints nothing.
 */
type WarningListener = (warning: Error) => void;

/** Holds process warnings from now on; the function returned prints them and restores Node's listeners. */
export function holdProcessWarnings(): () => void {
  const listeners = process.listeners('warning') as WarningListener[];
  const held: Error[] = [];
  const hold: WarningListener = (warning) => held.push(warning);
  for (const listener of listeners) process.off('warning', listener);
  process.on('warning', hold);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    process.off('warning', hold);
    for (const listener of listeners) process.on('warning', listener);
    for (const warning of held) for (const listener of listeners) listener(warning);
  };
}
