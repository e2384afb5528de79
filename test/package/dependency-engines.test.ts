/**
 * `npm ci` on the Node this project supports installs nothing that declares it unsupported (npm warns EBADENGINE),
 * and fastify's inject (light-my-request, which many dashboard tests use) still sends cookies with the cookie
 * version package.json's overrides give it.
 */
import { readFileSync } from 'node:fs';

import fastify from 'fastify';
import semver from 'semver';
import { expect, it } from 'vitest';

interface LockedPackage {
  version?: string;
  dev?: boolean;
  engines?: { node?: string };
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockedPackage> };
const { engines } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
const locked = Object.entries(lock.packages).filter(([path]) => path !== '');
const refusing = (node: string, packages: [string, LockedPackage][]) =>
  packages.filter(([, pkg]) => pkg.engines?.node && !semver.satisfies(node, pkg.engines.node)).map(([path, pkg]) => `${path}@${pkg.version}: ${pkg.engines!.node}`);

it('installs nothing whose engines refuse the running Node', () => {
  expect(refusing(process.version, locked)).toEqual([]);
});

it("installs no runtime dependency whose engines refuse the oldest Node in keyscope's own engines", () => {
  expect(refusing(semver.minVersion(engines.node)!.version, locked.filter(([, pkg]) => !pkg.dev))).toEqual([]);
});

it("fastify's inject sends the cookies it is given", async () => {
  const app = fastify();
  app.get('/', (request) => ({ cookie: request.headers.cookie }));
  const response = await app.inject({ url: '/', cookies: { session: 'a b', theme: 'dark' } });
  expect(response.json()).toEqual({ cookie: 'session=a%20b; theme=dark' });
  await app.close();
});
