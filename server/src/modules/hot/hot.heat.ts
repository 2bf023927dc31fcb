// The heat index of a hot issue (pure): how many residents raised it, how often, how fast it is
// growing and how many people agreed (likes, where the channel has them).
//
//   heat = 10·ln(1 + residents) + 5·ln(1 + count) + 3·ln(1 + likes) + 5·sign(g)·ln(1 + |g|)
//   g (growth) = members in the last `windowDays` − members in the `windowDays` before
//
// Each term is non-decreasing in its component, so the index is monotone in every component; a new
// report always raises it (count + 1 and growth + 1, residents + 1 when it is a new resident). The
// logarithms keep one very liked or very repeated message from outweighing many residents. Residents
// count most: ten people reporting once is hotter than one person reporting ten times.

export const HEAT_WEIGHTS = { residents: 10, count: 5, likes: 3, growth: 5 } as const;

export interface HeatComponents {
  /** member messages or cases */
  count: number;
  /** distinct reporters (a member without a known reporter counts as one more) */
  residents: number;
  /** sum of the members' likes (0 where the channel has none) */
  likes: number;
  /** members in the recent window */
  recent: number;
  /** members in the window before it */
  previous: number;
  /** recent − previous */
  growth: number;
}

export interface Heat {
  heat: number;
  components: HeatComponents;
  /** what each component adds to the heat (they sum to `heat`, up to rounding) */
  parts: { residents: number; count: number; likes: number; growth: number };
}

const r1 = (x: number) => Math.round(x * 10) / 10;

export function heatOf(c: HeatComponents): Heat {
  const w = HEAT_WEIGHTS;
  const parts = {
    residents: w.residents * Math.log1p(c.residents),
    count: w.count * Math.log1p(c.count),
    likes: w.likes * Math.log1p(Math.max(0, c.likes)),
    growth: w.growth * Math.sign(c.growth) * Math.log1p(Math.abs(c.growth)),
  };
  const heat = parts.residents + parts.count + parts.likes + parts.growth;
  return {
    heat: r1(heat),
    components: c,
    parts: {
      residents: r1(parts.residents),
      count: r1(parts.count),
      likes: r1(parts.likes),
      growth: r1(parts.growth),
    },
  };
}
