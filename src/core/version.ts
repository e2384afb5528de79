/** keyscope's own version, from package.json. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const keyscopeVersion: string = (require('../../package.json') as { version: string }).version;
