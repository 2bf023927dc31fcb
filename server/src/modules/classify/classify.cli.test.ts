// The three classifier commands through the real command line, in a child process, on a small
// seeded toy corpus written to a temporary directory.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../kernel/random.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedao-classify-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], stdin?: string) {
  const child = run(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', path.join(root, 'server/src/cli.ts'), ...args],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: 'postgres://nowhere.invalid/none', LOG_LEVEL: 'error' },
    },
  );
  if (stdin !== undefined) child.child.stdin!.end(stdin);
  return child;
}

const TOPICS: Record<string, string[]> = {
  城乡建设: ['路灯', '井盖', '施工', '道路', '拆迁', '物业', '围墙'],
  教育文体: ['学校', '老师', '学生', '学费', '幼儿园', '课程', '考试'],
  卫生计生: ['医院', '医生', '病人', '药品', '疫苗', '门诊', '护士'],
};
const COMMON = ['希望', '领导', '尽快', '解决', '居民', '反映', '情况'];

function toy(n: number, seed: number) {
  const rand = mulberry32(seed);
  const pick = (xs: string[]) => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const label = Object.keys(TOPICS)[i % 3]!;
    const words = Array.from({ length: 8 }, (_, j) => (j % 2 ? pick(TOPICS[label]!) : pick(COMMON)));
    return { id: `m${i}`, label, words };
  });
}
const lines = (xs: object[]) => xs.map((x) => JSON.stringify(x)).join('\n') + '\n';

describe('classifier command line', () => {
  it('trains, classifies in input order and evaluates, without a database', async () => {
    const train = toy(90, 1);
    fs.writeFileSync(
      path.join(dir, 'raw.jsonl'),
      lines(train.slice(0, 45).map((m) => ({ id: m.id, text: m.words.join(''), label: m.label }))),
    );
    fs.writeFileSync(
      path.join(dir, 'seg.jsonl'),
      lines(train.slice(45).map((m) => ({ id: m.id, text_segmented: m.words.join(' '), label: m.label }))),
    );
    const test = toy(30, 2);
    fs.writeFileSync(
      path.join(dir, 'test.jsonl'),
      lines(test.map((m) => ({ id: m.id, text: m.words.join(''), label: m.label }))),
    );
    const model = path.join(dir, 'm.model.json.gz');

    const trained = await cli([
      'classify-train',
      '--data',
      `${path.join(dir, 'raw.jsonl')},${path.join(dir, 'seg.jsonl')}`,
      '--out',
      model,
    ]);
    const summary = JSON.parse(trained.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ documents: 90, corrections: 0 });
    expect(summary.version).toMatch(/^\d{8}-[0-9a-f]{12}$/);
    expect(fs.statSync(model).size).toBeGreaterThan(0);

    const input =
      test.map((m) => JSON.stringify({ id: m.id, text: m.words.join('') })).join('\n') +
      '\n\n' +
      JSON.stringify({ id: 'sd', subject: '医院门诊', detail: '医生护士态度差' }) +
      '\n';
    const classified = await cli(['classify', '--model', model], input);
    const out = classified.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; label: string; confidence: number });
    expect(out.map((o) => o.id)).toEqual([...test.map((m) => m.id), 'sd']);
    for (const o of out) {
      expect(Object.keys(o)).toEqual(['id', 'label', 'confidence']);
      expect(o.confidence).toBeGreaterThan(0);
      expect(o.confidence).toBeLessThanOrEqual(1);
    }
    expect(out.filter((o, i) => i < test.length && o.label === test[i]!.label).length).toBeGreaterThanOrEqual(
      27,
    );
    expect(out.at(-1)!.label).toBe('卫生计生');

    const evaluated = JSON.parse(
      (await cli(['classify-eval', '--model', model, '--data', path.join(dir, 'test.jsonl')])).stdout,
    ) as Record<string, unknown>;
    expect(evaluated).toMatchObject({ documents: 30, labels: ['卫生计生', '城乡建设', '教育文体'] });
    expect(evaluated.macroF1).toBeGreaterThan(0.85);
    expect(evaluated.confusion).toHaveLength(3);
    expect(evaluated.perClass).toHaveLength(3);
    expect(evaluated.coverageAtPrecision98).toHaveProperty('threshold');
    expect(evaluated.reliability).toHaveLength(10);
    expect(typeof evaluated.ece).toBe('number');
  }, 90_000);

  it('stops at a malformed line with its number on stderr and a nonzero exit', async () => {
    const model = path.join(dir, 'm.model.json.gz');
    const err = (await cli(['classify', '--model', model], '{"id":"a","text":"路灯坏了"}\nnot json\n').catch(
      (e: unknown) => e,
    )) as { code: number; stdout: string; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/stdin:2: not valid JSON/);
    expect(err.stdout.trim().split('\n')).toHaveLength(1);
  }, 30_000);
});
