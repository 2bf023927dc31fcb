// How the classifier does in daily work, from the cases it suggested or dispatched: of those it
// dispatched on its own, how many stayed with that department and how many a person moved; of those
// it only suggested, how often the dispatcher took the first topic, one of the other two, or none.
// Per model version, pure (the rows come from the cases module).
import type { LiveFigures } from '@jiedao/contracts';
import type { DispatchSuggestion } from '../dispatch/index.js';

export interface ClassifiedCase {
  /** the suggestion stored with the case at intake (JSON) */
  suggestion: string;
  /** where the case is now (null: not dispatched, returned and waiting, or closed without dispatch) */
  departmentId: string | null;
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/** Figures per model version, the version with most cases first. */
export function liveFigures(rows: readonly ClassifiedCase[]): LiveFigures[] {
  const by = new Map<string, LiveFigures>();
  for (const r of rows) {
    let s: DispatchSuggestion;
    try {
      s = JSON.parse(r.suggestion) as DispatchSuggestion;
    } catch {
      continue;
    }
    if (s.source !== 'classifier') continue;
    const version = s.modelVersion ?? '';
    let f = by.get(version);
    if (!f) {
      f = {
        version,
        cases: 0,
        auto: { total: 0, kept: 0, moved: 0, returned: 0, precision: null },
        suggested: { total: 0, top1: 0, top3: 0, other: 0, undecided: 0, top1Rate: null, top3Rate: null },
      };
      by.set(version, f);
    }
    f.cases++;
    if (s.mode === 'auto') {
      f.auto.total++;
      if (r.departmentId === s.departmentId) f.auto.kept++;
      else if (r.departmentId) f.auto.moved++;
      else f.auto.returned++;
    } else {
      f.suggested.total++;
      const others = (s.alternatives ?? []).slice(1).map((a) => a.departmentId);
      if (!r.departmentId) f.suggested.undecided++;
      else if (r.departmentId === s.departmentId) f.suggested.top1++;
      else if (others.includes(r.departmentId)) f.suggested.top3++;
      else f.suggested.other++;
    }
  }
  const out = [...by.values()];
  for (const f of out) {
    f.auto.precision = rate(f.auto.kept, f.auto.kept + f.auto.moved + f.auto.returned);
    const decided = f.suggested.top1 + f.suggested.top3 + f.suggested.other;
    f.suggested.top1Rate = rate(f.suggested.top1, decided);
    f.suggested.top3Rate = rate(f.suggested.top1 + f.suggested.top3, decided);
  }
  return out.sort((a, b) => b.cases - a.cases || (a.version < b.version ? -1 : 1));
}
