// Reply drafts on real data: the leave-one-out study (reply-drafts.eval.ts) over the 2,816 messages with
// their official replies in reply.jsonl (../shared/data/tipdm2020 beside the repository, or
// JIEDAO_DATA_DIR; never copied into the repository). Skipped, saying why, when the file is absent.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bigramF1, charBigrams, evaluateReplyDrafts, parseReplyRecords } from './reply-drafts.eval.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const dirs = [process.env.JIEDAO_DATA_DIR, path.resolve(repoRoot, '../shared/data')].filter(
  (d): d is string => !!d,
);
const file = dirs
  .flatMap((d) => [path.join(d, 'reply.jsonl'), path.join(d, 'tipdm2020', 'reply.jsonl')])
  .find((f) => fs.existsSync(f));
if (!file)
  console.warn(
    `reply drafts on real data skipped: reply.jsonl not found in ${dirs.join(' or ')} (set JIEDAO_DATA_DIR)`,
  );

describe('character-bigram F1', () => {
  it('is 1 for the same text, 0 for nothing in common, in between otherwise', () => {
    const a = charBigrams('已安排环卫人员清理');
    expect(bigramF1(a, a)).toBe(1);
    expect(bigramF1(charBigrams('路灯不亮'), a)).toBe(0);
    const f = bigramF1(charBigrams('已安排人员清理'), a);
    expect(f).toBeGreaterThan(0.4);
    expect(f).toBeLessThan(1);
  });
});

describe.skipIf(!file)('reply drafts on reply.jsonl (leave-one-out)', () => {
  it('drafts from the most similar other message beat a random reply and the most common one', () => {
    const records = parseReplyRecords(fs.readFileSync(file!, 'utf8'));
    expect(records.length).toBeGreaterThan(2500);
    const r = evaluateReplyDrafts(records);
    console.log(JSON.stringify({ ...r, bySimilarity: r.bySimilarity.length }));
    // measured (docs/dispatch.md): F1 0.175 vs 0.080 random vs 0.058 most common; without
    // boilerplate 0.117 vs 0.022; the draft beats the random reply for 78 % of the messages
    expect(r.retrieved.f1).toBeGreaterThan(r.random.f1 + 0.06);
    expect(r.retrieved.contentF1).toBeGreaterThan(r.random.contentF1 * 3);
    expect(r.retrieved.f1).toBeGreaterThan(r.mostCommon.f1);
    expect(r.retrieved.beatsRandom).toBeGreaterThan(0.7);
    // the more similar the source message, the better the draft
    const first = r.bySimilarity[0]!;
    const last = r.bySimilarity[r.bySimilarity.length - 1]!;
    expect(last.retrievedContentF1).toBeGreaterThan(first.retrievedContentF1 * 3);
  }, 180_000);
});
