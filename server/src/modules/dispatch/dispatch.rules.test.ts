// Dispatch-rule matching: the most specific rule wins, then the higher priority, then the older rule.
import { describe, expect, it } from 'vitest';
import { pickRule, rankRules, ruleMatches } from './dispatch.rules.js';
import type { Rule, RuleInput } from './dispatch.rules.js';

let seq = 0;
function rule(over: Partial<Rule> & { id: string }): Rule {
  seq++;
  return {
    name: `rule ${over.id}`,
    categoryId: null,
    communityId: null,
    gridId: null,
    departmentId: 'dep-default',
    mode: 'auto',
    priority: 0,
    active: true,
    createdAt: `2026-01-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`,
    ...over,
  };
}

// 路灯损坏 (streetlight) under 市政设施 (municipal facilities), in grid G-01 of community C-01.
const input: RuleInput = {
  categoryId: 'cat-streetlight',
  categoryPath: ['cat-streetlight', 'cat-municipal', 'cat-root'],
  gridId: 'grid-01',
  communityId: 'comm-01',
};
const ids = (rules: Rule[]) => rules.map((r) => r.id);

describe('pickRule', () => {
  it('returns null when no rule matches', () => {
    expect(pickRule([], input)).toBeNull();
    const rules = [
      rule({ id: 'other-cat', categoryId: 'cat-noise' }),
      rule({ id: 'other-grid', gridId: 'grid-99' }),
      rule({ id: 'other-comm', communityId: 'comm-99' }),
    ];
    expect(pickRule(rules, input)).toBeNull();
  });

  it('prefers a grid rule to a community rule to a rule for anywhere', () => {
    const anywhere = rule({ id: 'anywhere', departmentId: 'dep-a' });
    const community = rule({ id: 'community', communityId: 'comm-01', departmentId: 'dep-c' });
    const grid = rule({ id: 'grid', gridId: 'grid-01', departmentId: 'dep-g' });
    expect(pickRule([anywhere, community, grid], input)?.departmentId).toBe('dep-g');
    expect(pickRule([anywhere, community], input)?.departmentId).toBe('dep-c');
    expect(pickRule([anywhere], input)?.departmentId).toBe('dep-a');
    expect(ids(rankRules([anywhere, grid, community], input))).toEqual(['grid', 'community', 'anywhere']);
  });

  it('ranks place above category: a grid rule for any category beats a community rule for the category', () => {
    const communityExact = rule({ id: 'comm-exact', communityId: 'comm-01', categoryId: 'cat-streetlight' });
    const gridAny = rule({ id: 'grid-any', gridId: 'grid-01' });
    expect(pickRule([communityExact, gridAny], input)?.id).toBe('grid-any');
  });

  it('prefers a rule on the exact category to one on its parent, and the parent to any category', () => {
    const exact = rule({ id: 'exact', categoryId: 'cat-streetlight', departmentId: 'dep-lights' });
    const parent = rule({ id: 'parent', categoryId: 'cat-municipal', departmentId: 'dep-municipal' });
    const root = rule({ id: 'root', categoryId: 'cat-root' });
    const any = rule({ id: 'any' });
    expect(pickRule([any, root, parent, exact], input)?.departmentId).toBe('dep-lights');
    expect(ids(rankRules([any, root, parent, exact], input))).toEqual(['exact', 'parent', 'root', 'any']);
  });

  it('lets a rule on a parent category cover its children', () => {
    const parent = rule({ id: 'parent', categoryId: 'cat-municipal', departmentId: 'dep-municipal' });
    expect(ruleMatches(parent, input)).toBe(true);
    expect(pickRule([parent], input)?.departmentId).toBe('dep-municipal');
    // but not a sibling: a rule on the streetlight category does not cover manholes
    const manhole: RuleInput = {
      ...input,
      categoryId: 'cat-manhole',
      categoryPath: ['cat-manhole', 'cat-municipal'],
    };
    expect(ruleMatches(rule({ id: 'exact', categoryId: 'cat-streetlight' }), manhole)).toBe(false);
  });

  it('breaks a specificity tie by the higher priority', () => {
    const low = rule({
      id: 'low',
      communityId: 'comm-01',
      priority: 1,
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    const high = rule({
      id: 'high',
      communityId: 'comm-01',
      priority: 5,
      createdAt: '2026-06-01T00:00:00.000Z',
    });
    expect(pickRule([low, high], input)?.id).toBe('high');
    expect(pickRule([high, low], input)?.id).toBe('high');
  });

  it('does not let priority override specificity', () => {
    const community = rule({ id: 'community', communityId: 'comm-01', priority: 100 });
    const grid = rule({ id: 'grid', gridId: 'grid-01', priority: -5 });
    expect(pickRule([community, grid], input)?.id).toBe('grid');
  });

  it('breaks a full tie by the older rule', () => {
    const newer = rule({ id: 'a-newer', gridId: 'grid-01', createdAt: '2026-02-01T08:00:00.000Z' });
    const older = rule({ id: 'z-older', gridId: 'grid-01', createdAt: '2026-01-15T08:00:00.000Z' });
    expect(pickRule([newer, older], input)?.id).toBe('z-older');
    expect(pickRule([older, newer], input)?.id).toBe('z-older');
  });

  it('breaks a tie on creation time by id, so the choice never depends on list order', () => {
    const t = '2026-01-15T08:00:00.000Z';
    const b = rule({ id: 'rule-b', createdAt: t });
    const a = rule({ id: 'rule-a', createdAt: t });
    expect(pickRule([b, a], input)?.id).toBe('rule-a');
    expect(pickRule([a, b], input)?.id).toBe('rule-a');
  });

  it('ignores inactive rules, however specific', () => {
    const inactive = rule({
      id: 'inactive',
      gridId: 'grid-01',
      categoryId: 'cat-streetlight',
      priority: 99,
      active: false,
    });
    const fallback = rule({ id: 'fallback' });
    expect(ruleMatches(inactive, input)).toBe(false);
    expect(pickRule([inactive, fallback], input)?.id).toBe('fallback');
    expect(pickRule([inactive], input)).toBeNull();
  });

  it('requires both grid and community to match when a rule names both', () => {
    const r = rule({ id: 'both', gridId: 'grid-01', communityId: 'comm-02' });
    expect(ruleMatches(r, input)).toBe(false);
  });

  it('does not match a grid or community rule for a case without a location', () => {
    const nowhere: RuleInput = { ...input, gridId: null, communityId: null };
    const grid = rule({ id: 'grid', gridId: 'grid-01' });
    const community = rule({ id: 'community', communityId: 'comm-01' });
    const any = rule({ id: 'any', categoryId: 'cat-municipal' });
    expect(pickRule([grid, community, any], nowhere)?.id).toBe('any');
  });

  it('keeps the mode of the winning rule', () => {
    const suggest = rule({ id: 'suggest', gridId: 'grid-01', mode: 'suggest' });
    const auto = rule({ id: 'auto', mode: 'auto' });
    expect(pickRule([auto, suggest], input)).toMatchObject({ id: 'suggest', mode: 'suggest' });
  });

  it('does not reorder the caller’s array', () => {
    const rules = [rule({ id: 'any' }), rule({ id: 'grid', gridId: 'grid-01' })];
    rankRules(rules, input);
    expect(ids(rules)).toEqual(['any', 'grid']);
  });
});
