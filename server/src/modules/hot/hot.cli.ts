// `npm run cli -- hot-issues --data <hot.jsonl> [--top N] [--days D] [--threshold X]`: the top hot
// issues of a hotline export (no database), as JSON on stdout.
import type { HotOptions } from './hot.cluster.js';
import { clusterHot } from './hot.cluster.js';
import { hotlineItems, readHotline } from './hot.data.js';

function arg(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

export interface HotlineReport {
  messages: number;
  from: string | null;
  to: string | null;
  groups: number;
  seconds: number;
  top: {
    rank: number;
    id: string;
    heat: number;
    count: number;
    residents: number;
    likes: number;
    recent: number;
    previous: number;
    growth: number;
    parts: Record<string, number>;
    cohesion: number;
    label: string;
    place: string | null;
    terms: string[];
    first: string;
    last: string;
    examples: string[];
  }[];
}

/** Groups a hotline export and reports the `top` hottest issues. `days`: only the last days of it. */
export function hotlineReport(
  file: string,
  opts: { top?: number; days?: number; cluster?: HotOptions } = {},
): HotlineReport {
  const started = performance.now();
  let items = hotlineItems(readHotline(file));
  const latest = Math.max(...items.map((i) => new Date(i.at).getTime()));
  if (opts.days !== undefined) {
    const since = latest - opts.days * 86_400_000;
    items = items.filter((i) => new Date(i.at).getTime() > since);
  }
  const subjects = new Map(items.map((i) => [i.id, i.subject ?? '']));
  const { groups } = clusterHot(items, { now: new Date(latest), ...opts.cluster });
  const times = items.map((i) => new Date(i.at).toISOString()).sort();
  return {
    messages: items.length,
    from: times[0] ?? null,
    to: times[times.length - 1] ?? null,
    groups: groups.length,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    top: groups.slice(0, opts.top ?? 10).map((g, i) => ({
      rank: i + 1,
      id: g.id,
      heat: g.heat,
      ...g.components,
      parts: g.parts,
      cohesion: g.cohesion,
      label: g.label,
      place: g.place.text,
      terms: g.terms,
      first: g.first,
      last: g.last,
      // distinct subjects, the group's order (earliest first)
      examples: [...new Set(g.members.map((m) => subjects.get(m) ?? ''))].slice(0, 5),
    })),
  };
}

export function hotIssuesCommand(args: string[]): number {
  const file = arg(args, '--data');
  if (!file) {
    console.error('usage: hot-issues --data <hot.jsonl> [--top N] [--days D] [--threshold X]');
    return 2;
  }
  const top = arg(args, '--top');
  const days = arg(args, '--days');
  const threshold = arg(args, '--threshold');
  const report = hotlineReport(file, {
    ...(top ? { top: Number(top) } : {}),
    ...(days ? { days: Number(days) } : {}),
    ...(threshold ? { cluster: { threshold: Number(threshold) } } : {}),
  });
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return 0;
}
