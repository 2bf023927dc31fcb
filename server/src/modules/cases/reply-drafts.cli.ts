// `npm run cli -- reply-drafts-eval --data <reply.jsonl>`: the leave-one-out study of reply drafts
// (reply-drafts.eval.ts) on a file of messages with their official replies; JSON on stdout.
import fs from 'node:fs';
import { evaluateReplyDrafts, parseReplyRecords } from './reply-drafts.eval.js';

export function replyDraftsEvalCommand(args: string[]): number {
  const i = args.indexOf('--data');
  const file = i >= 0 ? args[i + 1] : undefined;
  if (!file) {
    process.stderr.write('usage: reply-drafts-eval --data <reply.jsonl> [--seed <n>]\n');
    return 2;
  }
  const s = args.indexOf('--seed');
  const seed = s >= 0 ? Number(args[s + 1]) : undefined;
  const records = parseReplyRecords(fs.readFileSync(file, 'utf8'));
  const report = evaluateReplyDrafts(records, seed !== undefined && Number.isFinite(seed) ? { seed } : {});
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}
