/**
 * A local stand-in for a GitHub Actions runner, for as much of a workflow as keyscope's CI recipe uses: a job's
 * steps in order, `run` steps in bash with GitHub's variables, `if:` conditions and `${{ }}` expressions over the
 * `github` context, and the first-party actions the recipe may use. actions/cache is emulated with GitHub's rules
 * (an exact key first, then the newest entry whose key starts with a restore key; the job's own branch scope
 * first, then its base branch's; entries immutable); actions/upload-artifact keeps the files. Anything this does
 * not understand (another action, an expression it cannot evaluate) throws, so that the recipe cannot drift out
 * of what the simulation verifies.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

export interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}

export interface Workflow {
  jobs: Record<string, { steps: WorkflowStep[] }>;
}

/** The first ```yaml block of a markdown file: the recipe as the documentation shows it. */
export function workflowFromMarkdown(path: string): Workflow {
  const block = /```yaml\n([\s\S]*?)```/.exec(readFileSync(path, 'utf8'));
  if (!block) throw new Error(`${path} has no yaml block`);
  return parse(block[1]!) as Workflow;
}

export type GithubEvent =
  | { name: 'push'; branch: string; runId: number }
  | { name: 'pull_request'; number: number; headBranch: string; baseBranch: string; runId: number };

/** The Actions cache of one repository: entries by key, each in the scope (branch or PR ref) that saved it. */
export class ActionsCache {
  private readonly entries: { key: string; scope: string; dir: string }[] = [];

  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  get keys(): string[] {
    return this.entries.map((e) => e.key);
  }

  /** What actions/cache/restore does: the entry it would restore, copied to `path`; null on a miss. */
  restore(path: string, key: string, restoreKeys: readonly string[], scopes: readonly string[]): string | null {
    for (const scope of scopes) {
      const inScope = this.entries.filter((e) => e.scope === scope).reverse(); // newest first
      const hit = inScope.find((e) => e.key === key) ?? restoreKeys.map((prefix) => inScope.find((e) => e.key.startsWith(prefix))).find(Boolean);
      if (hit) {
        rmSync(path, { recursive: true, force: true });
        cpSync(hit.dir, path, { recursive: true });
        return hit.key;
      }
    }
    return null;
  }

  /** What actions/cache/save does: keeps a copy of `path` under `key`, unless the key exists (entries are immutable). */
  save(path: string, key: string, scope: string): boolean {
    if (this.entries.some((e) => e.key === key && e.scope === scope) || !existsSync(path)) return false;
    const dir = join(this.root, String(this.entries.length));
    cpSync(path, dir, { recursive: true });
    this.entries.push({ key, scope, dir });
    return true;
  }
}

export interface StepResult {
  step: string;
  skipped: boolean;
  status: number;
  output: string;
}

export interface JobResult {
  success: boolean;
  steps: StepResult[];
  summary: string;
}

export interface JobSetup {
  /** The checked-out project: its git HEAD is the commit the event is for. */
  project: string;
  cache: ActionsCache;
  artifacts: string;
  /** Environment the runner adds (PATH and the like); GitHub's own variables are set here. */
  env: NodeJS.ProcessEnv;
  /** Commands a run step may leave out because an earlier job did them (e.g. `npm ci`, with node_modules kept). */
  alreadyDone?: ReadonlySet<string>;
}

function githubContext(event: GithubEvent, sha: string): Record<string, string> {
  const ref = event.name === 'push' ? `refs/heads/${event.branch}` : `refs/pull/${event.number}/merge`;
  return {
    event_name: event.name,
    ref,
    ref_name: event.name === 'push' ? event.branch : `${event.number}/merge`,
    head_ref: event.name === 'push' ? '' : event.headBranch,
    base_ref: event.name === 'push' ? '' : event.baseBranch,
    sha,
    run_id: String(event.runId),
  };
}

function evaluate(expression: string, github: Record<string, string>, jobFailed: boolean): string | boolean {
  const terms = expression.split('&&').map((t) => t.trim());
  if (terms.length > 1) return terms.every((t) => evaluate(t, github, jobFailed) === true);
  const term = terms[0]!;
  if (term === 'always()') return true;
  if (term === 'success()') return !jobFailed;
  const comparison = /^github\.(\w+)\s*(==|!=)\s*'([^']*)'$/.exec(term);
  if (comparison) {
    const [, name, operator, literal] = comparison;
    if (!(name! in github)) throw new Error(`unknown context github.${name}`);
    return operator === '==' ? github[name!] === literal : github[name!] !== literal;
  }
  const value = /^github\.(\w+)$/.exec(term);
  if (value && value[1]! in github) return github[value[1]!]!;
  throw new Error(`the simulation cannot evaluate "${expression}"`);
}

function interpolate(text: string, github: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => String(evaluate(expression, github, false)));
}

/** Runs job `name` of `workflow` for `event` in `setup.project`, as a runner would. */
export function runJob(workflow: Workflow, name: string, event: GithubEvent, setup: JobSetup): JobResult {
  const job = workflow.jobs[name];
  if (!job) throw new Error(`no job ${name}`);
  const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: setup.project, encoding: 'utf8' }).trim();
  const github = githubContext(event, sha);
  const summaryFile = join(setup.artifacts, `summary-${event.runId}.md`);
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    ...setup.env,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref_name,
    GITHUB_REF_TYPE: 'branch',
    GITHUB_HEAD_REF: github.head_ref,
    GITHUB_BASE_REF: github.base_ref,
    GITHUB_SHA: sha,
    GITHUB_RUN_ID: github.run_id,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  // A push reads and writes its branch's caches; a pull request its own ref's, then its base branch's.
  const scopes: string[] = event.name === 'push' ? [github.ref!] : [github.ref!, `refs/heads/${event.baseBranch}`];
  let failed = false;
  const steps: StepResult[] = [];
  for (const [index, step] of job.steps.entries()) {
    const label = step.name ?? step.uses ?? step.run ?? `step ${index}`;
    const condition = step.if === undefined ? !failed : evaluate(step.if, github, failed) === true && (step.if.includes('always()') || !failed);
    if (!condition) {
      steps.push({ step: label, skipped: true, status: 0, output: '' });
      continue;
    }
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), github)]));
    let result: StepResult;
    if (step.run !== undefined) {
      const script = interpolate(step.run, github)
        .split('\n')
        .filter((line) => !setup.alreadyDone?.has(line.trim()))
        .join('\n');
      // GitHub's default shell on Linux: bash -e {0}, stderr and stdout both in the log.
      const ran = spawnSync('bash', ['-e', '-c', script], { cwd: setup.project, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      result = { step: label, skipped: false, status: ran.status ?? 1, output: `${ran.stdout}${ran.stderr}` };
    } else if (step.uses !== undefined) {
      result = { step: label, skipped: false, status: 0, output: runAction(step.uses, inputs, scopes, setup) };
    } else throw new Error(`step ${index} has neither run nor uses`);
    steps.push(result);
    if (result.status !== 0) failed = true;
  }
  return { success: !failed, steps, summary: readFileSync(summaryFile, 'utf8') };
}

function runAction(uses: string, inputs: Record<string, string>, scopes: readonly string[], setup: JobSetup): string {
  const [action] = uses.split('@');
  if (!action!.startsWith('actions/')) throw new Error(`${uses} is not a first-party action`);
  const path = (input: string) => join(setup.project, inputs[input] ?? '');
  switch (action) {
    case 'actions/checkout':
    case 'actions/setup-node':
      return `${action}: the project is checked out and this Node runs it`;
    case 'actions/cache/restore': {
      const restoreKeys = (inputs['restore-keys'] ?? '').split('\n').map((k) => k.trim()).filter(Boolean);
      const hit = setup.cache.restore(path('path'), inputs.key!, restoreKeys, scopes);
      return hit === null ? 'Cache not found' : `Cache restored from key: ${hit}`;
    }
    case 'actions/cache/save':
      return setup.cache.save(path('path'), inputs.key!, scopes[0]!) ? `Cache saved with key: ${inputs.key}` : 'Cache not saved';
    case 'actions/upload-artifact': {
      const into = join(setup.artifacts, inputs.name!);
      mkdirSync(into, { recursive: true });
      cpSync(path('path'), join(into, inputs.path!.split('/').at(-1)!), { recursive: true });
      return `Artifact ${inputs.name} uploaded`;
    }
    default:
      throw new Error(`the simulation does not know ${uses}`);
  }
}
