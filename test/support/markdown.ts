/** Just enough Markdown for the documentation tests: fenced code, headings with GitHub's anchors, links. */

export interface Line {
  text: string;
  /** 1-based, for failure messages. */
  number: number;
  inCode: boolean;
}

/** Each line, marked when it sits inside a fenced code block (fences included). */
export function lines(markdown: string): Line[] {
  let inCode = false;
  return markdown.split('\n').map((text, index) => {
    const fence = /^\s*```/.test(text);
    const line = { text, number: index + 1, inCode: inCode || fence };
    if (fence) inCode = !inCode;
    return line;
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, … */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of lines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line.text);
    if (line.inCode || !heading) continue;
    const text = heading[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

export interface Link {
  target: string;
  line: number;
}

/** Inline links and images outside code (code spans included), e.g. `[text](docs/cli.md#exit-status)`. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  for (const line of lines(markdown)) {
    if (line.inCode) continue;
    const prose = line.text.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) found.push({ target: match[1]!, line: line.number });
  }
  return found;
}

/** The text under a heading, up to the next heading of the same or a higher level. */
export function section(markdown: string, title: string): string {
  const all = lines(markdown);
  const start = all.findIndex((line) => !line.inCode && new RegExp(`^(#{1,6})\\s+${escape(title)}\\s*$`).test(line.text));
  if (start < 0) throw new Error(`no heading "${title}"`);
  const level = /^#+/.exec(all[start]!.text)![0].length;
  const end = all.findIndex((line, index) => index > start && !line.inCode && new RegExp(`^#{1,${level}}\\s`).test(line.text));
  return all
    .slice(start + 1, end < 0 ? undefined : end)
    .map((line) => line.text)
    .join('\n');
}

/** The fenced blocks of one language under `markdown`, in order. */
export function codeBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  let current: string[] | null = null;
  for (const text of markdown.split('\n')) {
    if (current === null && new RegExp(`^\\s*\`\`\`${escape(language)}\\s*$`).test(text)) current = [];
    else if (current !== null && /^\s*```\s*$/.test(text)) {
      blocks.push(current.join('\n'));
      current = null;
    } else if (current !== null) current.push(text);
  }
  return blocks;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
