// Hot issues on the real hotline export (TipDM 2020 hot.jsonl, 4,326 messages, unlabelled), read
// where it lies — ../shared/data beside the repository, or JIEDAO_DATA_DIR — never copied here.
// Checks what was verified by hand (docs/dispatch.md); skipped when the file is absent.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HotlineReport } from './hot.cli.js';
import { hotlineReport } from './hot.cli.js';
import type { HotGroup } from './hot.cluster.js';
import { clusterHot } from './hot.cluster.js';
import { hotlineItems, readHotline, sharedDataDir } from './hot.data.js';
import { placesIn } from './hot.places.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const file = path.join(sharedDataDir(repoRoot), 'tipdm2020', 'hot.jsonl');
const present = fs.existsSync(file);
if (!present) console.warn(`hot issues on real data: skipped, ${file} is absent (set JIEDAO_DATA_DIR)`);

describe.skipIf(!present)('hot issues in hot.jsonl', () => {
  let groups: HotGroup[];
  let subject: Map<string, string>;
  let report: HotlineReport;
  beforeAll(() => {
    const items = hotlineItems(readHotline(file));
    subject = new Map(items.map((i) => [i.id, i.subject ?? '']));
    groups = clusterHot(items).groups;
    // the command's report, on the last 60 days of the file (the whole file is clustered above)
    report = hotlineReport(file, { top: 10, days: 60 });
  }, 120_000);

  const groupOf = (pattern: RegExp) =>
    groups
      .map((g) => ({ g, n: g.members.filter((m) => pattern.test(subject.get(m)!)).length }))
      .sort((a, b) => b.n - a.n)[0]!;

  it('puts the mixing plant complaints of 丽发新城 together, at the top', () => {
    const { g, n } = groupOf(/丽发新城.*搅拌/);
    expect(n).toBeGreaterThanOrEqual(8);
    expect(groups.indexOf(g)).toBe(0);
    // every member is about a mixing plant
    for (const m of g.members) expect(subject.get(m)).toMatch(/搅拌|丽发|扰民/);
  });

  it('keeps one estate’s complaints together and apart from another estate’s', () => {
    const charm = groupOf(/魅力之城/);
    expect(charm.n).toBeGreaterThanOrEqual(8);
    for (const m of charm.g.members) expect(subject.get(m)).toMatch(/魅力之城/);
    const bank = groupOf(/凉塘路.*旧城改造|凉塘路.*改造/);
    expect(bank.n).toBeGreaterThanOrEqual(6);
    for (const m of bank.g.members) expect(subject.get(m)).toMatch(/凉塘路/);
  });

  it('never mixes districts or place names that disagree within the top 30', () => {
    for (const g of groups.slice(0, 30)) {
      const districts = new Set(g.members.flatMap((m) => placesIn(subject.get(m)!).districts));
      expect(districts.size, `${g.label}: ${[...districts].join(', ')}`).toBeLessThanOrEqual(1);
    }
  });

  it('reports the top 10 with their heat components and example subjects', () => {
    expect(report.messages).toBeGreaterThan(100);
    expect(report.messages).toBeLessThan(4326);
    expect(report.top).toHaveLength(10);
    for (const [i, t] of report.top.entries()) {
      expect(t.rank).toBe(i + 1);
      expect(t.count).toBeGreaterThanOrEqual(2);
      expect(t.residents).toBeLessThanOrEqual(t.count);
      expect(t.examples.length).toBeGreaterThan(0);
      if (i > 0) expect(t.heat).toBeLessThanOrEqual(report.top[i - 1]!.heat);
    }
  });
});
