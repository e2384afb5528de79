/**
 * What a command says while it waits for the analytics database that another process holds (a dashboard's
 * page, another command): once, on stderr, naming the holder, so that a pause of a few seconds is explained.
 */
export function analyticsWaitNotice(stderr: NodeJS.WritableStream = process.stderr): (holder: string) => void {
  return (holder) => {
    stderr.write(`keyscope: waiting for the analytics database, held by ${holder}…\n`);
  };
}
