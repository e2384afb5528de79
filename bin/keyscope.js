#!/usr/bin/env node
// The installed `keyscope` command: runs the compiled CLI (dist/, built on install) and exits with its status.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
