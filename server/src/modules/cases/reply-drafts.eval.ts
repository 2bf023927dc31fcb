// How good are reply drafts taken from similar past cases? A leave-one-out study on messages with their
// official replies: for each message, the draft is the reply of the most similar *other* message
// (SimilarityIndex over subject + text, as the product's drafts are found), scored against the
// message's real reply by character-bigram F1 (ROUGE-2-like: Chinese has no spaces, so bigrams of
// characters stand in for word bigrams). Baselines in the same run: the reply of a random other message,
// and the most common reply. Pure: records in, figures out (the CLI and the test read the file).
import { SimilarityIndex } from '../classify/index.js';

export interface ReplyRecord {
  id: string;
  subject: string;
  detail: string;
  reply: string;
}

/** Character bigrams of a text (NFKC, whitespace dropped), with counts. */
export function charBigrams(text: string): Map<string, number> {
  const chars = [...text.normalize('NFKC').replace(/\s+/g, '')];
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const b = chars[i]! + chars[i + 1]!;
    out.set(b, (out.get(b) ?? 0) + 1);
  }
  return out;
}

/** F1 of the clipped bigram overlap of a draft and the reference (0 … 1). `skip`: bigrams not counted. */
export function bigramF1(
  draft: Map<string, number>,
  reference: Map<string, number>,
  skip?: ReadonlySet<string>,
): number {
  let overlap = 0;
  let nd = 0;
  let nr = 0;
  for (const [b, n] of draft) if (!skip?.has(b)) nd += n;
  for (const [b, n] of reference) {
    if (skip?.has(b)) continue;
    nr += n;
    const m = draft.get(b);
    if (m !== undefined) overlap += Math.min(m, n);
  }
  if (overlap === 0 || nd === 0 || nr === 0) return 0;
  const p = overlap / nd;
  const r = overlap / nr;
  return (2 * p * r) / (p + r);
}

/** A small seeded generator (mulberry32), so the random baseline is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MethodFigures {
  /** mean character-bigram F1 against the real reply */
  f1: number;
  /** the same without boilerplate: bigrams found in at least `boilerplateShare` of all replies are not counted */
  contentF1: number;
}

export interface ReplyDraftsEvaluation {
  messages: number;
  seconds: number;
  metric: string;
  boilerplateShare: number;
  boilerplateBigrams: number;
  retrieved: MethodFigures & {
    /** share of messages whose retrieved draft scores higher than the random reply (content F1) */
    beatsRandom: number;
    meanSimilarity: number;
  };
  random: MethodFigures;
  mostCommon: MethodFigures & { text: string; count: number };
  /** retrieved vs random by the similarity of the retrieved message (how sure the draft is) */
  bySimilarity: {
    from: number;
    to: number;
    messages: number;
    retrievedContentF1: number;
    randomContentF1: number;
  }[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function evaluateReplyDrafts(
  records: readonly ReplyRecord[],
  opts: { seed?: number; boilerplateShare?: number } = {},
): ReplyDraftsEvaluation {
  const started = performance.now();
  const n = records.length;
  if (n < 3) throw new Error('at least 3 messages are needed');
  const share = opts.boilerplateShare ?? 0.2;
  const rand = seeded(opts.seed ?? 2020);
  const replies = records.map((r) => charBigrams(r.reply));
  // boilerplate: bigrams in at least `share` of the replies (greetings, thanks, "现将…答复如下")
  const df = new Map<string, number>();
  for (const b of replies) for (const k of b.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const boiler = new Set([...df].filter(([, c]) => c >= share * n).map(([k]) => k));

  const index = new SimilarityIndex<number>();
  records.forEach((r, i) => index.add(i, `${r.subject} ${r.detail}`));

  // the most common reply text (leave-one-out: the runner-up when it is the message's own and ties)
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.reply, (counts.get(r.reply) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const [topText, topCount] = ranked[0]!;
  const second = ranked[1] ?? ranked[0]!;
  const topBigrams = charBigrams(topText);
  const secondBigrams = charBigrams(second[0]);

  const sum = { rf: 0, rc: 0, xf: 0, xc: 0, mf: 0, mc: 0, wins: 0, sim: 0 };
  const buckets = [0, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1.01].slice(0, -1).map((from, i, all) => ({
    from,
    to: all[i + 1] ?? 1,
    messages: 0,
    r: 0,
    x: 0,
  }));
  for (let i = 0; i < n; i++) {
    const rec = records[i]!;
    const ref = replies[i]!;
    const hit = index.nearest(`${rec.subject} ${rec.detail}`, 1, { filter: (j) => j !== i })[0]!;
    const draft = replies[hit.item]!;
    let other = Math.floor(rand() * (n - 1));
    if (other >= i) other++;
    const randomDraft = replies[other]!;
    const common = rec.reply === topText && topCount - 1 < second[1] ? secondBigrams : topBigrams;
    const rc = bigramF1(draft, ref, boiler);
    const xc = bigramF1(randomDraft, ref, boiler);
    sum.rf += bigramF1(draft, ref);
    sum.rc += rc;
    sum.xf += bigramF1(randomDraft, ref);
    sum.xc += xc;
    sum.mf += bigramF1(common, ref);
    sum.mc += bigramF1(common, ref, boiler);
    if (rc > xc) sum.wins++;
    sum.sim += hit.score;
    const b = buckets.find((x) => hit.score >= x.from && hit.score < x.to) ?? buckets[buckets.length - 1]!;
    b.messages++;
    b.r += rc;
    b.x += xc;
  }
  return {
    messages: n,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    metric: 'character-bigram F1 of the draft against the real reply (clipped counts, ROUGE-2-like)',
    boilerplateShare: share,
    boilerplateBigrams: boiler.size,
    retrieved: {
      f1: round(sum.rf / n),
      contentF1: round(sum.rc / n),
      beatsRandom: round(sum.wins / n),
      meanSimilarity: round(sum.sim / n),
    },
    random: { f1: round(sum.xf / n), contentF1: round(sum.xc / n) },
    mostCommon: {
      f1: round(sum.mf / n),
      contentF1: round(sum.mc / n),
      text: topText.length > 120 ? `${topText.slice(0, 120)}…` : topText,
      count: topCount,
    },
    bySimilarity: buckets
      .filter((b) => b.messages > 0)
      .map((b) => ({
        from: b.from,
        to: Math.min(1, b.to),
        messages: b.messages,
        retrievedContentF1: round(b.r / b.messages),
        randomContentF1: round(b.x / b.messages),
      })),
  };
}

/** Reads JSON lines of {id, subject, detail, reply} (other fields ignored; lines without a reply skipped). */
export function parseReplyRecords(content: string): ReplyRecord[] {
  const out: ReplyRecord[] = [];
  for (const line of content.split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as Partial<Record<'id' | 'subject' | 'detail' | 'reply', unknown>>;
    if (typeof o.reply !== 'string' || !o.reply.trim()) continue;
    out.push({
      id: String(o.id ?? out.length),
      subject: typeof o.subject === 'string' ? o.subject : '',
      detail: typeof o.detail === 'string' ? o.detail : '',
      reply: o.reply,
    });
  }
  return out;
}
