// `npm run bench -- [name …]`: loads every bench/*.bench.ts (default export: an array of
// `{ name, run() }`), runs all benchmarks, or those whose names start with one of the given names
// (`dashboard` runs every `dashboard.*`, `grid` runs `grid.locate`), one after the other, and prints
// one JSON object per line to stdout: {"name","value","unit","baseline","ratio", …extra}.
// Progress and diagnostics go to stderr. Exit code: 0; 1 if a benchmark threw (its line is
// {"name","error"} and the others still run); 2 for an unknown name.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult, Benchmark } from './lib/types.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

function isBenchmark(x: unknown): x is Benchmark {
  if (typeof x !== 'object' || x === null) return false;
  const b = x as Record<string, unknown>;
  return typeof b.name === 'string' && typeof b.run === 'function';
}

function printLine(obj: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

/** The result with the five fixed keys first, whatever order the benchmark used. */
function normalise(name: string, result: BenchResult): Record<string, unknown> {
  const { name: resultName, value, unit, baseline, ratio, ...extra } = result;
  return { name: resultName || name, value, unit, baseline, ratio, ...extra };
}

async function loadBenchmarks(): Promise<{
  benchmarks: Benchmark[];
  loadErrors: { file: string; error: string }[];
}> {
  const files = fs
    .readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const benchmarks: Benchmark[] = [];
  const loadErrors: { file: string; error: string }[] = [];
  for (const file of files) {
    try {
      const mod = (await import(pathToFileURL(path.join(benchDir, file)).href)) as { default?: unknown };
      const list = mod.default;
      if (!Array.isArray(list) || !list.every(isBenchmark)) {
        throw new Error('default export must be an array of { name: string; run(): Promise<Result> }');
      }
      for (const b of list) {
        if (benchmarks.some((x) => x.name === b.name)) throw new Error(`duplicate benchmark name ${b.name}`);
        benchmarks.push(b);
      }
    } catch (err) {
      loadErrors.push({ file, error: errorText(err) });
      console.error(
        `bench: cannot load ${file}: ${err instanceof Error && err.stack ? err.stack : errorText(err)}`,
      );
    }
  }
  return { benchmarks, loadErrors };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const list = args.includes('--list');
  const names = args.filter((a) => !a.startsWith('-'));
  const { benchmarks, loadErrors } = await loadBenchmarks();

  if (list) {
    for (const b of benchmarks) console.error(b.name);
    return loadErrors.length ? 1 : 0;
  }

  const unknown = names.filter((n) => !benchmarks.some((b) => b.name.startsWith(n)));
  if (unknown.length) {
    console.error(
      `bench: no benchmark matches ${unknown.map((n) => JSON.stringify(n)).join(', ')}. ` +
        `Known: ${benchmarks.map((b) => b.name).join(', ') || '(none)'}` +
        (loadErrors.length ? ` (and ${loadErrors.length} file(s) failed to load)` : ''),
    );
    return 2;
  }

  let failed = false;
  // A file that failed to load is a failure when no names were given (it would have run).
  if (names.length === 0) {
    for (const e of loadErrors) {
      printLine({ name: e.file.replace(/\.bench\.ts$/, ''), error: `cannot load ${e.file}: ${e.error}` });
      failed = true;
    }
  }

  const selected = names.length
    ? benchmarks.filter((b) => names.some((n) => b.name.startsWith(n)))
    : benchmarks;
  for (const [i, b] of selected.entries()) {
    console.error(`bench: [${i + 1}/${selected.length}] ${b.name} …`);
    const started = performance.now();
    try {
      const result = await b.run();
      printLine(normalise(b.name, result));
      console.error(`bench: ${b.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed = true;
      printLine({ name: b.name, error: errorText(err) });
      console.error(
        `bench: ${b.name} failed: ${err instanceof Error && err.stack ? err.stack : errorText(err)}`,
      );
    }
  }
  return failed ? 1 : 0;
}

const code = await main().catch((err: unknown) => {
  console.error('bench: runner crashed:', err);
  return 1;
});
// Exit explicitly (a benchmark may leave a handle open); 'exit' hooks still kill child servers.
process.stdout.write('', () => process.exit(code));
