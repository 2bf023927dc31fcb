// The duplicate score on realistic pairs of short reports at the same place (≤ 50 m): fifteen pairs
// about the same matter in other words, fifteen about different matters sharing place words. The
// figures asserted are those behind the defaults (minSimilarity 0.15, minScore 0.5; docs/dispatch.md).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { categoryRelation, scoreDuplicates } from './case.duplicates.js';

const SAME: [string, string][] = [
  ['小区门口路灯坏了，晚上一片漆黑，走路很不安全', '门口的路灯不亮了好几天，晚上太黑了'],
  ['工地围挡倒塌', '工地的围挡倒了，挡住人行道'],
  ['人行道上有个井盖丢失，很危险', '人行道井盖没了，小孩容易掉下去'],
  ['垃圾桶满了没人清理，臭气熏天', '垃圾桶里的垃圾满出来了，好几天没人清运，很臭'],
  ['有人在绿化带里乱倒建筑垃圾', '绿化带被倒了一堆建筑垃圾'],
  ['道路上有个大坑，电动车差点摔倒', '路面有坑，积水，电动车经过很危险'],
  ['共享单车乱停乱放堵住了盲道', '盲道上停满了共享单车'],
  ['夜间施工噪音太大，影响休息', '工地晚上还在施工，噪音吵得睡不着'],
  ['消防通道被车辆堵塞', '消防通道上停了好多车，堵死了'],
  ['下水道堵塞污水外溢', '下水道井口往外冒污水，堵了'],
  ['路边树枝断了挂在电线上', '大树树枝折断挂在电线上很危险'],
  ['占道经营，小摊贩把路都占了', '小贩在路上摆摊占道经营'],
  ['公交站牌被撞坏了', '公交站的站牌被车撞倒了'],
  ['墙上有大量小广告', '楼道和墙面贴满了小广告'],
  ['自来水管爆裂，路面都是水', '水管破了，马路上全是水'],
];
const DIFFERENT: [string, string][] = [
  ['小区门口路灯坏了，晚上一片漆黑', '小区门口垃圾桶满了没人清理'],
  ['工地围挡倒塌', '工地夜间施工噪音扰民'],
  ['人行道上有个井盖丢失', '人行道上共享单车乱停'],
  ['道路上有个大坑', '道路两旁占道经营'],
  ['消防通道被车辆堵塞', '消防栓漏水'],
  ['下水道堵塞污水外溢', '小区绿化带杂草丛生没人修剪'],
  ['路边树枝断了挂在电线上', '路边有人乱贴小广告'],
  ['墙上有大量小广告', '墙体开裂有脱落危险'],
  ['自来水管爆裂，路面都是水', '路面有油污，车辆打滑'],
  ['公交站牌被撞坏了', '公交站旁边垃圾很多'],
  ['夜间施工噪音太大，影响休息', '广场舞音响太大声，影响休息'],
  ['垃圾桶满了没人清理', '垃圾分类投放点设置不合理'],
  ['共享单车乱停乱放堵住了盲道', '盲道被占用，车辆停在盲道上'],
  ['小区门口路灯坏了', '小区门口有车辆违停'],
  ['有人在绿化带里乱倒建筑垃圾', '绿化带里的树死了需要补种'],
];

const settings = loadConfig({ NODE_ENV: 'test' }).duplicates;
const here = { lat: 22.67, lng: 113.81 };
const near = { lat: 22.6702, lng: 113.81 }; // about 22 m
const parents: Record<string, string | null> = { a: null, b: null, 'a.1': 'a', 'a.2': 'a' };
const parentOf = (id: string) => parents[id] ?? null;

function linked(pairs: [string, string][], probeCategory: string, candidateCategory: string, at = near) {
  return pairs.filter(
    ([a, b]) =>
      scoreDuplicates(
        { text: b, categoryId: probeCategory, location: at, gridId: 'g1' },
        [{ id: 'x', category_id: candidateCategory, title: null, description: a, ...here, grid_id: 'g1' }],
        settings,
        parentOf,
      ).length > 0,
  ).length;
}

describe('possible duplicates: the score', () => {
  it('has the documented defaults', () => {
    expect(settings).toMatchObject({ radiusMeters: 50, maxMeters: 300, minSimilarity: 0.15, minScore: 0.5 });
  });

  it('finds the same matter told in other words at the same place (14 of 15)', () => {
    expect(linked(SAME, 'a', 'a')).toBeGreaterThanOrEqual(14);
  });

  it('links few different matters at the same place: none across categories, under half within one', () => {
    expect(linked(DIFFERENT, 'a', 'b')).toBe(0);
    // same category (the old rule linked all fifteen): place words make short texts alike
    expect(linked(DIFFERENT, 'a', 'a')).toBeLessThanOrEqual(7);
  });

  it('never links reports further apart than maxMeters, however alike', () => {
    const far = { lat: here.lat + 0.004, lng: here.lng }; // about 445 m
    expect(linked(SAME, 'a', 'a', far)).toBe(0);
    expect(linked([['工地围挡倒塌', '工地围挡倒塌']], 'a', 'a', far)).toBe(0);
  });

  it('relates categories: the same, parent and child or siblings, other', () => {
    expect(categoryRelation('a', 'a', parentOf)).toBe('same');
    expect(categoryRelation('a.1', 'a', parentOf)).toBe('related');
    expect(categoryRelation('a.1', 'a.2', parentOf)).toBe('related');
    expect(categoryRelation('a.1', 'b', parentOf)).toBe('other');
    expect(categoryRelation(null, 'b', parentOf)).toBe('other');
  });
});
