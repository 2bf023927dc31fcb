// How alike two reports read: the Dice coefficient of their character bigrams (Chinese has no
// spaces, so characters, not words), ignoring spaces and punctuation. Pure; for the dispatcher's
// side-by-side comparison of possible duplicates, where it is a hint beside distance and time.

function bigrams(text: string): Map<string, number> {
  const chars = [...text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '')];
  const out = new Map<string, number>();
  if (chars.length === 1) out.set(chars[0]!, 1);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** 0 (nothing in common) … 1 (the same words), to two decimals. */
export function textSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let nx = 0;
  let ny = 0;
  let both = 0;
  for (const n of x.values()) nx += n;
  for (const [g, n] of y) {
    ny += n;
    both += Math.min(n, x.get(g) ?? 0);
  }
  if (nx + ny === 0) return 0;
  return Math.round(((2 * both) / (nx + ny)) * 100) / 100;
}
