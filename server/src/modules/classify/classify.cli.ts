// The three command-line entry points (registered in server/src/cli.ts). Results go to stdout as
// JSON (one object, or one line per message for `classify`); diagnostics go to stderr. None of
// them needs the database or any configuration.
import { once } from 'node:events';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { evaluateFile, loadModel, saveModel, trainFromFiles } from './index.js';
import { parseRecord, RecordError } from './model/records.js';

function arg(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);

/** `classify-train --data <a.jsonl>[,<b.jsonl>] [--corrections <c.jsonl>] [--corrections-weight W] --out <model>` */
export async function classifyTrainCommand(args: readonly string[]): Promise<number> {
  const data = list(arg(args, '--data'));
  const out = arg(args, '--out');
  if (!data.length || !out) {
    console.error(
      'usage: classify-train --data <file.jsonl>[,<file2.jsonl>] [--corrections <file.jsonl>] --out <model>',
    );
    return 2;
  }
  const weight = arg(args, '--corrections-weight');
  const { model, summary } = trainFromFiles({
    data,
    corrections: list(arg(args, '--corrections')),
    ...(weight ? { correctionWeight: Number(weight) } : {}),
  });
  const bytes = saveModel(model, out);
  process.stdout.write(JSON.stringify({ ...summary, out, bytes }) + '\n');
  return 0;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/**
 * `classify --model <model> < in.jsonl > out.jsonl`: one `{"id","label","confidence"}` line per
 * input line, in input order, streamed. Blank lines are skipped. A line that is not a JSON object
 * with a text stops the run: the lines before it have been written, the error (with its line
 * number) goes to stderr, exit code 1.
 */
export async function classifyCommand(
  args: readonly string[],
  input: Readable = process.stdin,
  output: Writable = process.stdout,
): Promise<number> {
  const file = arg(args, '--model');
  if (!file) {
    console.error('usage: classify --model <model> < in.jsonl > out.jsonl');
    return 2;
  }
  const model = loadModel(file);
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let record;
    try {
      record = parseRecord(line, `stdin:${n}`, false);
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      console.error(`classify: ${err.message}`);
      lines.close();
      return 1;
    }
    const p = model.classify(record.textSegmented !== undefined ? { text: record.textSegmented } : record);
    await write(
      output,
      JSON.stringify({
        id: record.id ?? null,
        label: p.label,
        confidence: Math.round(p.confidence * 1e6) / 1e6,
      }) + '\n',
    );
  }
  return 0;
}

/** `classify-eval --model <model> --data <file.jsonl>`: the evaluation report as JSON. */
export async function classifyEvalCommand(args: readonly string[]): Promise<number> {
  const file = arg(args, '--model');
  const data = arg(args, '--data');
  if (!file || !data) {
    console.error('usage: classify-eval --model <model> --data <file.jsonl>');
    return 2;
  }
  const report = evaluateFile(loadModel(file), data);
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return 0;
}
