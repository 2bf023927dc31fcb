// Dispatch suggestions. A chain of pluggable suggesters is asked in order; the first answer wins.
// Built in: the rule table, then the category's default department. A text classifier (a later
// issue) registers itself as another suggester with its own confidence.
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { CatalogService } from '../catalog/index.js';
import type { Rule, RuleInput } from './dispatch.rules.js';
import { rankRules } from './dispatch.rules.js';

export interface DispatchInput {
  categoryId: string;
  gridId: string | null;
  communityId: string | null;
  channel: string;
  text: string;
}

export interface DispatchSuggestion {
  /** Internal department, or an external body for matters beyond the subdistrict's authority. */
  departmentId: string;
  target: 'department' | 'external';
  mode: 'auto' | 'suggest';
  confidence: number;
  source: string;
  ruleId?: string;
  reason: { zh: string; en: string };
  /** a text classifier's answer: the model that gave it, the topic, and its three best topics */
  modelVersion?: string;
  label?: string;
  alternatives?: { label: string; departmentId: string | null; confidence: number }[];
}

export interface DispatchSuggester {
  readonly name: string;
  suggest(input: DispatchInput): Promise<DispatchSuggestion | null> | DispatchSuggestion | null;
}

export const RULES_CHANGED = 'dispatch.rules_changed';

export interface RuleInputBody {
  name: string;
  categoryId?: string | null;
  communityId?: string | null;
  gridId?: string | null;
  departmentId: string;
  mode: 'auto' | 'suggest';
  priority?: number;
  active?: boolean;
}

export class DispatchService {
  private rules: Rule[] = [];
  private readonly suggesters: { priority: number; s: DispatchSuggester }[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly catalog: CatalogService,
  ) {
    ctx.bus.subscribe(RULES_CHANGED, () => {
      this.reload().catch((err) => ctx.log.error({ err }, 'rule reload failed'));
    });
    this.register(
      {
        name: 'rules',
        suggest: (input) => {
          const rule = rankRules(this.rules, this.ruleInput(input))[0];
          if (!rule) return null;
          return {
            departmentId: rule.departmentId,
            target: 'department',
            mode: rule.mode,
            confidence: 1,
            source: 'rule',
            ruleId: rule.id,
            reason: { zh: `规则：${rule.name}`, en: `Rule: ${rule.name}` },
          };
        },
      },
      100,
    );
    this.register(
      {
        name: 'category_default',
        suggest: (input) => {
          const cat = this.catalog.find(input.categoryId);
          if (!cat) return null;
          if (cat.beyondAuthority && cat.externalBodyId) {
            return {
              departmentId: cat.externalBodyId,
              target: 'external',
              mode: 'suggest',
              confidence: 0.9,
              source: 'category_default',
              reason: {
                zh: `「${cat.nameZh}」超出街道职权，建议上报`,
                en: `“${cat.nameEn}” is beyond the subdistrict's authority; escalate`,
              },
            };
          }
          if (!cat.defaultDepartmentId) return null;
          return {
            departmentId: cat.defaultDepartmentId,
            target: 'department',
            mode: 'suggest',
            confidence: 0.6,
            source: 'category_default',
            reason: {
              zh: `类别「${cat.nameZh}」的默认承办部门`,
              en: `Default department of “${cat.nameEn}”`,
            },
          };
        },
      },
      1000,
    );
  }

  /** Plug in a suggester; lower priority numbers are asked first (rules are 100, defaults 1000). */
  register(s: DispatchSuggester, priority: number): void {
    this.suggesters.push({ priority, s });
    this.suggesters.sort((a, b) => a.priority - b.priority);
  }

  private ruleInput(input: DispatchInput): RuleInput {
    const path: string[] = [];
    let c = this.catalog.find(input.categoryId);
    while (c && path.length < 10) {
      path.push(c.id);
      c = this.catalog.find(c.parentId);
    }
    return {
      categoryId: input.categoryId,
      categoryPath: path,
      gridId: input.gridId,
      communityId: input.communityId,
    };
  }

  async reload(): Promise<void> {
    const rows = await this.ctx.kysely.selectFrom('dispatch_rule').selectAll().execute();
    this.rules = rows.map((r) => ({
      id: r.id,
      name: r.name,
      categoryId: r.category_id,
      communityId: r.community_id,
      gridId: r.grid_id,
      departmentId: r.department_id,
      mode: r.mode,
      priority: r.priority,
      active: !!r.active,
      createdAt: r.created_at,
    }));
  }

  private async changed() {
    await this.reload();
    if (this.ctx.bus.kind !== 'memory') await this.ctx.bus.publish(RULES_CHANGED, {});
  }

  async suggest(input: DispatchInput): Promise<DispatchSuggestion | null> {
    for (const { s } of this.suggesters) {
      try {
        const r = await s.suggest(input);
        if (r) return r;
      } catch (err) {
        this.ctx.log.warn({ err, suggester: s.name }, 'dispatch suggester failed');
      }
    }
    return null;
  }

  /** "Which rule would fire for this case": every matching rule in rank order, and the final suggestion. */
  async explain(input: DispatchInput) {
    const ranked = rankRules(this.rules, this.ruleInput(input));
    return { matchingRules: ranked, suggestion: await this.suggest(input) };
  }

  listRules(): Rule[] {
    return [...this.rules].sort((a, b) => a.name.localeCompare(b.name));
  }

  async createRule(body: RuleInputBody): Promise<Rule> {
    const now = this.ctx.clock.now();
    const id = newId(now.getTime());
    await this.ctx.kysely
      .insertInto('dispatch_rule')
      .values({
        id,
        name: body.name,
        category_id: body.categoryId ?? null,
        community_id: body.communityId ?? null,
        grid_id: body.gridId ?? null,
        department_id: body.departmentId,
        mode: body.mode,
        priority: body.priority ?? 0,
        active: body.active === false ? 0 : 1,
        created_at: now.toISOString(),
      })
      .execute();
    await this.changed();
    return this.rules.find((r) => r.id === id)!;
  }

  async updateRule(id: string, body: Partial<RuleInputBody>): Promise<Rule> {
    if (!this.rules.some((r) => r.id === id)) throw new AppError('dispatch.rule_not_found');
    await this.ctx.kysely
      .updateTable('dispatch_rule')
      .set({
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.categoryId !== undefined ? { category_id: body.categoryId } : {}),
        ...(body.communityId !== undefined ? { community_id: body.communityId } : {}),
        ...(body.gridId !== undefined ? { grid_id: body.gridId } : {}),
        ...(body.departmentId !== undefined ? { department_id: body.departmentId } : {}),
        ...(body.mode !== undefined ? { mode: body.mode } : {}),
        ...(body.priority !== undefined ? { priority: body.priority } : {}),
        ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
      })
      .where('id', '=', id)
      .execute();
    await this.changed();
    return this.rules.find((r) => r.id === id)!;
  }

  /** Cases it dispatched keep its id and name in their history (the suggestion is stored with them). */
  async deleteRule(id: string): Promise<Rule> {
    const rule = this.rules.find((r) => r.id === id);
    if (!rule) throw new AppError('dispatch.rule_not_found');
    await this.ctx.kysely.deleteFrom('dispatch_rule').where('id', '=', id).execute();
    await this.changed();
    return rule;
  }
}
