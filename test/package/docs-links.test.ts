/**
 * The README is a door to docs/: every relative link in it and in docs/*.md must reach a file that exists, and a
 * link with an #anchor a heading that exists in that file (GitHub's anchors), so that moving text cannot leave a
 * dead link behind.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { anchors, links } from '../support/markdown.js';

const root = resolve(import.meta.dirname, '..', '..');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => join('docs', name))];

function brokenLinks(page: string): string[] {
  const text = readFileSync(join(root, page), 'utf8');
  const broken: string[] = [];
  for (const { target, line } of links(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto: are not files here
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    const file = path === '' ? join(root, page) : resolve(root, dirname(page), decodeURIComponent(path));
    const where = `${page}:${line} → ${target}`;
    if (!existsSync(file)) broken.push(`${where}: no file ${relative(root, file)}`);
    else if (anchor !== undefined && statSync(file).isFile() && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
      broken.push(`${where}: no heading #${anchor} in ${relative(root, file)}`);
    }
  }
  return broken;
}

describe('documentation links', () => {
  it('has the README and a docs/ page per reference subject', () => {
    for (const page of ['cli', 'api', 'bench', 'compare', 'ci', 'analytics', 'dashboard', 'alerts', 'metrics']) {
      expect(pages).toContain(join('docs', `${page}.md`));
    }
  });

  it.each(pages)('%s: every relative link reaches an existing file and heading', (page) => {
    expect(brokenLinks(page)).toEqual([]);
  });

  it('the README links every docs/ page', () => {
    const readme = links(readFileSync(join(root, 'README.md'), 'utf8')).map((link) => link.target.split('#')[0]);
    const unlinked = pages.filter((page) => page.startsWith('docs') && !readme.includes(page));
    expect(unlinked, `docs pages the README does not link: ${unlinked.join(', ')}`).toEqual([]);
  });
});
