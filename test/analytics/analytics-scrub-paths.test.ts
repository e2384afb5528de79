import { hostname, homedir, userInfo } from 'node:os';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { refusedMarker } from '../../src/analytics/capture/privacy/key-material-guard.js';
import { externalPath, scrubStack, scrubText } from '../../src/analytics/capture/privacy/scrub-paths.js';

const packageRoot = '/home/alice/work/app/node_modules/keyscope';
const home = '/home/alice';
const options = { packageRoot, home };

describe('scrubText', () => {
  it('makes package paths relative, the home directory "~" and other absolute paths "<external>"', () => {
    expect(scrubText(`cannot read ${packageRoot}/dist/core/keygen.js`, options)).toBe('cannot read dist/core/keygen.js');
    expect(scrubText(`cannot write ${home}/keys/id.pem: EACCES`, options)).toBe('cannot write ~/keys/id.pem: EACCES');
    expect(scrubText(`cannot write /etc/ssl/private/id.pem`, options)).toBe(`cannot write ${externalPath}`);
    expect(scrubText(`in ${home}`, options)).toBe('in ~');
    // A longer name that starts like the home directory is someone else's.
    expect(scrubText(`in /home/alicebob/x`, options)).toBe(`in ${externalPath}`);
  });

  it('handles file:// URLs, Windows drive paths and UNC paths', () => {
    expect(scrubText(`at ${pathToFileURL(`${packageRoot}/dist/index.js`).href}:3:4`, options)).toBe('at dist/index.js:3:4');
    expect(scrubText(`at ${pathToFileURL(`${home}/src/main.js`).href}:3:4`, options)).toBe('at ~/src/main.js:3:4');
    expect(scrubText('at file:///opt/other/main.js:3:4', options)).toBe(`at ${externalPath}:3:4`);
    expect(scrubText('open C:\\Users\\alice\\key.pem failed', options)).toBe(`open ${externalPath} failed`);
    expect(scrubText('share \\\\fileserver\\keys\\id.pem', options)).toBe(`share ${externalPath}`);
  });

  it('keeps relative paths, node: frames and ordinary text', () => {
    const kept = ['dist/compare/statistics/hodges-lehmann.js:42:17', 'node:internal/process/task_queues:95:5', 'rsa-2048 and/or ed25519', 'ratio 1/2'];
    for (const text of kept) expect(scrubText(text, options)).toBe(text);
  });

  it('leaves no host name, user name or home directory of this machine', () => {
    const user = userInfo().username;
    const host = hostname();
    const text = `failed on ${host} for ${user} in ${homedir()}/project and /tmp/${user}-cache/x`;
    const scrubbed = scrubText(text);
    if (host.length >= 3) expect(scrubbed).not.toContain(host);
    if (user.length >= 3 && user !== 'root') expect(scrubbed).not.toMatch(new RegExp(`\\b${user}\\b`));
    expect(scrubbed).not.toContain(homedir());
    expect(scrubText('user alice on build-07', { ...options })).toBe(`user <user> on build-07`);
  });

  it('guards the result', () => {
    expect(scrubText('bad key MC4CAQAwBQYDK2VwBCIEIHhPvm7JoM0a9wC5sTtHf4gZJ9LxJ3hQ5n0Q2rS7Yd8v', options)).toBe(refusedMarker);
  });
});

describe('scrubStack', () => {
  it('returns at most 10 scrubbed frames and drops the message line', () => {
    const frames = Array.from({ length: 14 }, (_, i) => `    at step${i} (${packageRoot}/dist/bench/run-case.js:${i + 1}:7)`);
    const stack = [`Error: failed for ${home}/secret`, ...frames].join('\n');
    const scrubbed = scrubStack(stack, options);
    expect(scrubbed).toHaveLength(10);
    expect(scrubbed[0]).toBe('at step0 (dist/bench/run-case.js:1:7)');
    expect(scrubbed.join('\n')).not.toContain('alice');
  });

  it('scrubs the frames of a real error, from this package', () => {
    const error = new Error('boom');
    const frames = scrubStack(error.stack);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames[0]).toMatch(/^at (.* \()?test\/analytics\/analytics-scrub-paths\.test\.ts:\d+:\d+\)?$/);
    for (const frame of frames) expect(frame).not.toMatch(/(^|[\s(])\/(?!\/)/);
  });

  it('is empty without a stack', () => {
    expect(scrubStack(undefined)).toEqual([]);
    expect(scrubStack('')).toEqual([]);
  });
});
