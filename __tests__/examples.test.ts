// The snippets people copy: every YAML block of README.md and every workflow in examples/. Copied as
// they are, they must parse, read only outputs of steps they name, check a key where the job that
// uses it can read it, and mark each value the reader has to replace. The README's shell block for
// the emulator runs here as written.

import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './helpers/action-yml.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Snippet {
  where: string;
  text: string;
  /** For a README block, the paragraph after it, which may say what its placeholders are. */
  after: string;
}

/** The fenced blocks of README in a language, each with the paragraph that follows it. */
function readmeBlocks(language: string): Snippet[] {
  const blocks: Snippet[] = [];
  const pattern = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`\\n`, 'gm');
  for (const found of readme.matchAll(pattern)) {
    const line = readme.slice(0, found.index).split('\n').length;
    const rest = readme.slice(found.index + found[0].length);
    blocks.push({ where: `README.md:${line}`, text: found[1]!, after: rest.trimStart().split('\n\n')[0]! });
  }
  return blocks;
}

const examples: Snippet[] = readdirSync(join(ROOT, 'examples')).map((name) => ({
  where: `examples/${name}`,
  text: readFileSync(join(ROOT, 'examples', name), 'utf8'),
  after: ''
}));
const yamlSnippets = [...readmeBlocks('yaml'), ...examples];

type Step = Record<string, unknown> & { id?: string; uses?: string };
type Job = { environment?: unknown; steps?: Step[] };

/** Every step of a snippet, whether it is a whole workflow, a job's steps, or one step. */
function stepsOf(document: unknown): { job: Job | undefined; step: Step }[] {
  if (Array.isArray(document)) return (document as Step[]).map((step) => ({ job: undefined, step }));
  const jobs = (document as { jobs?: Record<string, Job> }).jobs;
  if (jobs !== undefined) {
    return Object.values(jobs).flatMap((job) => (job.steps ?? []).map((step) => ({ job, step })));
  }
  const steps = (document as { steps?: Step[] }).steps;
  return (steps ?? []).map((step) => ({ job: undefined, step }));
}

const secretsIn = (value: unknown) =>
  [...JSON.stringify(value).matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!);

describe('the YAML people copy', () => {
  it('finds every snippet: each yaml fence of README and each file of examples/', () => {
    const fences = readme.split('\n').filter((line) => line.trim() === '```yaml').length;
    expect(fences).toBeGreaterThan(0);
    expect(yamlSnippets.filter(({ where }) => where.startsWith('README')).length).toBe(fences);
    expect(examples.map(({ where }) => where)).toEqual(
      readdirSync(join(ROOT, 'examples')).map((name) => `examples/${name}`)
    );
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(yamlSnippets.map((snippet) => [snippet.where, snippet] as const))('%s parses as YAML', (_where, snippet) => {
    expect(() => void parse(snippet.text)).not.toThrow();
  });

  it.each(yamlSnippets.map((snippet) => [snippet.where, snippet] as const))(
    '%s reads outputs only of steps it gives that id',
    (_where, snippet) => {
      const ids = stepsOf(parse(snippet.text)).map(({ step }) => step.id);
      for (const [, id] of snippet.text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs/g)) expect(ids).toContain(id);
    }
  );

  it.each(yamlSnippets.filter((s) => /^jobs:/m.test(s.text)).map((snippet) => [snippet.where, snippet] as const))(
    '%s checks each key in the environment of the job that uses it',
    (_where, snippet) => {
      const steps = stepsOf(parse(snippet.text));
      for (const check of steps.filter(({ step }) => step.uses?.includes('/fullstory-key-check@'))) {
        for (const secret of secretsIn(check.step)) {
          for (const user of steps.filter(({ step }) => step !== check.step && secretsIn(step).includes(secret))) {
            expect({ secret, environment: user.job?.environment }).toEqual({
              secret,
              environment: check.job?.environment
            });
          }
        }
      }
    }
  );

  const PLACEHOLDERS = /OWNER|o-1G1-na1|o-STAGING-na1|\.\/[\w/-]+\.sh|proxy\.internal|internal-ca\.pem/g;
  it.each([...yamlSnippets, ...readmeBlocks('sh')].map((snippet) => [snippet.where, snippet] as const))(
    '%s marks every value the reader must replace as a placeholder',
    (_where, { text, after }) => {
      const declared = [...text.split('\n'), after].filter((line) => /placeholder/i.test(line)).join('\n');
      for (const [placeholder] of text.matchAll(PLACEHOLDERS))
        expect({ placeholder, declared }).toEqual({
          placeholder,
          declared: expect.stringContaining(placeholder)
        });
    }
  );
});

describe("README's emulator block", () => {
  it('runs as written: a match, then a mismatch as JSON', () => {
    const block = readmeBlocks('sh').find(({ text }) => text.includes('emulator/fullstory-emulator.mjs'));
    expect(block).toBeDefined();
    const run = spawnSync('bash', ['-c', block!.text], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines).toContain('na1 …0001  o-DEMO-na1  USER  standard  standard (exact)  ✅ match');
    const json = lines.find((line) => line.startsWith('{'));
    expect(JSON.parse(json!)).toMatchObject({ result: 'mismatch', role: 'ADMIN', key: 'eu1 …0003' });
  });
});
