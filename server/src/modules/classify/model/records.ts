// Reading JSON-lines message files: one object per line; blank lines are skipped.
//   training/evaluation: {"label", "text"} or {"label", "subject", "detail"} or {"label", "text_segmented"}
//   classification:     {"id", "text"} (optionally "subject", "detail")
import type { TrainingRecord } from './train.js';

export class RecordError extends Error {}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** One line's message (and label when `needLabel`); throws RecordError with `where` in the message. */
export function parseRecord(
  line: string,
  where: string,
  needLabel: boolean,
): TrainingRecord & { id?: unknown } {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    throw new RecordError(`${where}: not valid JSON`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new RecordError(`${where}: expected a JSON object`);
  }
  const o = obj as Record<string, unknown>;
  const label = str(o.label);
  if (needLabel && !label) throw new RecordError(`${where}: missing "label"`);
  const textSegmented = str(o.text_segmented);
  const text = str(o.text);
  const subject = str(o.subject);
  const detail = str(o.detail);
  if (textSegmented === undefined && text === undefined && subject === undefined && detail === undefined) {
    throw new RecordError(`${where}: missing "text" (or "subject"/"detail", or "text_segmented")`);
  }
  const weight = typeof o.weight === 'number' && o.weight > 0 ? o.weight : undefined;
  return {
    ...('id' in o ? { id: o.id } : {}),
    label: label ?? '',
    ...(textSegmented !== undefined && text === undefined && subject === undefined && detail === undefined
      ? { textSegmented }
      : { text, subject, detail }),
    ...(weight !== undefined ? { weight } : {}),
  };
}

/** Every record of a JSON-lines text. */
export function parseRecords(
  content: string,
  file: string,
  needLabel: boolean,
): (TrainingRecord & { id?: unknown })[] {
  const out: (TrainingRecord & { id?: unknown })[] = [];
  content.split('\n').forEach((line, i) => {
    if (line.trim()) out.push(parseRecord(line, `${file}:${i + 1}`, needLabel));
  });
  return out;
}
