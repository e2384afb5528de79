// The `keyscope` command from the sources, as bin/keyscope.js runs it from dist/: a test that starts it as
// `node --import tsx test/support/bin/keyscope.ts <args>` gets a real CLI process, named on its command line
// as the installed one is (what a lock's holder is told by: src/duckdb/lock-holder.ts).
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
