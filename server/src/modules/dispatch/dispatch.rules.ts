// Pure dispatch-rule matching: category × community/grid → department, auto or suggest.
// The most specific matching rule wins (grid over community over anywhere; a category over any
// category); ties go to the higher priority, then the older rule.

export interface Rule {
  id: string;
  name: string;
  categoryId: string | null;
  communityId: string | null;
  gridId: string | null;
  departmentId: string;
  mode: 'auto' | 'suggest';
  priority: number;
  active: boolean;
  createdAt: string;
}

export interface RuleInput {
  categoryId: string;
  /** The category and its ancestors, most specific first; a rule on a parent category covers its children. */
  categoryPath: string[];
  gridId: string | null;
  communityId: string | null;
}

export function ruleMatches(rule: Rule, input: RuleInput): boolean {
  if (!rule.active) return false;
  if (rule.categoryId && !input.categoryPath.includes(rule.categoryId)) return false;
  if (rule.gridId && rule.gridId !== input.gridId) return false;
  if (rule.communityId && rule.communityId !== input.communityId) return false;
  return true;
}

export function specificity(rule: Rule, input: RuleInput): number {
  let s = 0;
  if (rule.gridId) s += 400;
  else if (rule.communityId) s += 200;
  if (rule.categoryId) {
    const depth = input.categoryPath.indexOf(rule.categoryId);
    s += 100 - Math.max(0, depth);
  }
  return s;
}

export function rankRules(rules: readonly Rule[], input: RuleInput): Rule[] {
  return rules
    .filter((r) => ruleMatches(r, input))
    .sort(
      (a, b) =>
        specificity(b, input) - specificity(a, input) ||
        b.priority - a.priority ||
        a.createdAt.localeCompare(b.createdAt) ||
        a.id.localeCompare(b.id),
    );
}

export function pickRule(rules: readonly Rule[], input: RuleInput): Rule | null {
  return rankRules(rules, input)[0] ?? null;
}
