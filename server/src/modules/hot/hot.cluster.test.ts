// Hot issues, pure: grouping by text within a place, the place gates, the heat index, determinism.
import { describe, expect, it } from 'vitest';
import type { HotItem } from './hot.cluster.js';
import { clusterHot } from './hot.cluster.js';
import { HEAT_WEIGHTS, heatOf } from './hot.heat.js';
import { placesIn } from './hot.places.js';

const NOW = new Date('2025-06-30T12:00:00Z');
const day = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
// two points ~150 m apart, and one ~3 km away
const SITE = { lat: 31.2301, lng: 121.4701 };
const NEAR = { lat: 31.2314, lng: 121.4705 };
const FAR = { lat: 31.2571, lng: 121.4701 };

function noise(id: string, at: string, reporter: string, where = SITE): HotItem {
  return {
    id,
    at,
    reporter,
    text: `${['工地晚上十二点还在打桩，噪音太大睡不着', '夜间施工噪音扰民，工地打桩到凌晨', '建筑工地半夜施工打桩，吵得无法休息'][Number(id.slice(-1)) % 3]}`,
    place: { ...where, gridId: null, communityId: 'c1' },
    topic: 'construction',
  };
}

describe('placesIn', () => {
  it('finds districts and the same key for a long and a short name', () => {
    expect(placesIn('A2区丽发新城小区附近搅拌站噪音扰民')).toEqual({
      districts: ['A2区'],
      keys: ['丽发新城', '新城小区', '搅拌站'],
    });
    expect(placesIn('投诉伊景园滨河苑捆绑销售车位').keys).toContain('滨河苑');
    expect(placesIn('武广新城伊景园滨河苑违法捆绑销售车位').keys).toContain('滨河苑');
    expect(placesIn('A市涉外经济学院强制学生实习').keys).toEqual(['经济学院']);
  });

  it('skips common nouns and verb phrases', () => {
    expect(placesIn('投诉小区附近搅拌站噪音扰民').keys).toEqual(['搅拌站']);
    expect(placesIn('魅力之城小区临街门面油烟直排扰民').keys).not.toContain('区临街');
    expect(placesIn('希望政府修好道路').keys).toEqual([]);
  });
});

describe('clusterHot', () => {
  it('groups reports of one thing in one place and keeps another place apart', () => {
    const items: HotItem[] = [
      noise('a1', day(1), 'r1'),
      noise('a2', day(2), 'r2', NEAR),
      noise('a3', day(3), 'r3'),
      noise('a4', day(9), 'r4', NEAR),
      // the same complaint 3 km away is another issue
      noise('b1', day(1), 'r5', FAR),
      noise('b2', day(2), 'r6', FAR),
      // something else at the same site
      {
        id: 'c1',
        at: day(1),
        reporter: 'r7',
        text: '小区门口垃圾桶满了没人清运，臭气熏天',
        place: { ...SITE, communityId: 'c1' },
        topic: 'sanitation',
      },
    ];
    const { groups } = clusterHot(items, { now: NOW });
    expect(groups.map((g) => g.members)).toEqual([
      ['a4', 'a3', 'a2', 'a1'],
      ['b2', 'b1'],
    ]);
    const [site] = groups;
    expect(site!.id).toBe('a4'); // the earliest member
    expect(site!.components).toEqual({ count: 4, residents: 4, likes: 0, recent: 3, previous: 1, growth: 2 });
    expect(site!.terms).toContain('打桩');
    expect(site!.place.communityId).toBe('c1');
  });

  it('uses grids (and bordering grids) when there are no coordinates', () => {
    const at = day(1);
    const text = '夜间施工噪音扰民，工地打桩到凌晨';
    const items: HotItem[] = [
      { id: '1', at, text, place: { gridId: 'g1' } },
      { id: '2', at, text, place: { gridId: 'g2' } },
      { id: '3', at, text, place: { gridId: 'g9' } },
    ];
    expect(clusterHot(items).groups.map((g) => g.members)).toEqual([]);
    const neighbours = (g: string) => (g === 'g1' ? ['g2'] : g === 'g2' ? ['g1'] : []);
    expect(clusterHot(items, { neighbours }).groups.map((g) => g.members)).toEqual([['1', '2']]);
  });

  it('without coordinates, requires the place names of the texts to agree', () => {
    const at = day(1);
    const items: HotItem[] = [
      {
        id: '1',
        at,
        subject: 'A2区丽发新城小区附近搅拌站噪音扰民',
        text: 'A2区丽发新城小区附近搅拌站噪音扰民，晚上也在作业',
      },
      {
        id: '2',
        at,
        subject: '丽发新城旁边的搅拌站噪音扰民',
        text: '丽发新城旁边的搅拌站噪音扰民，粉尘也大',
      },
      {
        id: '3',
        at,
        subject: 'A5区魅力之城小区附近搅拌站噪音扰民',
        text: 'A5区魅力之城小区附近搅拌站噪音扰民，晚上也在作业',
      },
      {
        id: '4',
        at,
        subject: 'A3区丽发新城小区附近搅拌站噪音扰民',
        text: 'A3区丽发新城小区附近搅拌站噪音扰民，晚上也在作业',
      },
    ];
    const { groups } = clusterHot(items);
    expect(groups.map((g) => g.members)).toEqual([['1', '2']]);
    expect(groups[0]!.place.text).toBe('A2区 丽发新城·搅拌站');
  });

  it('counts residents, likes and growth', () => {
    const text = '工地晚上十二点还在打桩，噪音太大睡不着';
    const items: HotItem[] = [
      { id: '1', at: day(1), text, reporter: 'r1', likes: 5, place: SITE },
      { id: '2', at: day(2), text, reporter: 'r1', likes: 1, place: SITE },
      { id: '3', at: day(10), text, reporter: null, place: SITE },
      { id: '4', at: day(11), text, reporter: null, place: SITE },
      { id: '5', at: day(20), text, reporter: 'r2', place: SITE },
    ];
    const [g] = clusterHot(items, { now: NOW }).groups;
    // r1 twice, two anonymous reports (each one more resident), r2
    expect(g!.components).toEqual({ count: 5, residents: 4, likes: 6, recent: 2, previous: 2, growth: 0 });
    expect(g!.heat).toBe(heatOf(g!.components).heat);
  });

  it('is deterministic whatever the input order', () => {
    const items = Array.from({ length: 12 }, (_, i) =>
      noise(`n${i}`, day(i % 5), `r${i}`, i % 2 ? SITE : FAR),
    );
    const a = clusterHot(items, { now: NOW }).groups;
    const b = clusterHot([...items].reverse(), { now: NOW }).groups;
    expect(b).toEqual(a);
  });
});

describe('heatOf', () => {
  const base = { count: 4, residents: 3, likes: 2, recent: 2, previous: 1, growth: 1 };
  it('is the documented sum of its parts', () => {
    const h = heatOf(base);
    const w = HEAT_WEIGHTS;
    const expected =
      w.residents * Math.log(4) + w.count * Math.log(5) + w.likes * Math.log(3) + w.growth * Math.log(2);
    expect(h.heat).toBeCloseTo(expected, 1);
    const sum = h.parts.residents + h.parts.count + h.parts.likes + h.parts.growth;
    expect(Math.abs(sum - h.heat)).toBeLessThan(0.25);
  });

  it('is monotone in every component, and a new report always raises it', () => {
    const h = heatOf(base).heat;
    for (const k of ['count', 'residents', 'likes', 'growth'] as const)
      expect(heatOf({ ...base, [k]: base[k] + 1 }).heat, k).toBeGreaterThan(h);
    expect(heatOf({ ...base, growth: -3 }).heat).toBeLessThan(h);
    // a new report today by someone already counted
    expect(heatOf({ ...base, count: 5, recent: 3, growth: 2 }).heat).toBeGreaterThan(h);
  });
});
