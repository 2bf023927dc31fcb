// The message classifier in the product: registered model versions (kept in the database, so every
// server instance runs the same one), the active model and its rollback, the topic → department
// mapping and the auto-dispatch threshold, the dispatch suggester, the dispatchers' corrections, and
// comparing versions on the same labelled evaluation set.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { StaffActor } from '../../kernel/actor.js';
import type { AppContext } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { Executor, OutboxEvent } from '../../kernel/outbox.js';
import { pageOf } from '../../kernel/paging.js';
import type { AuditService } from '../audit/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { DispatchInput, DispatchService, DispatchSuggestion } from '../dispatch/index.js';
import type { OrgService } from '../org/index.js';
import type { ClassifiedCase } from './classify.live.js';
import { liveFigures } from './classify.live.js';
import type { EvaluationReport } from './model/evaluate.js';
import { evaluate } from './model/evaluate.js';
import type { TextClassifier } from './model/model.js';
import { deserialiseModel } from './model/model.js';
import { parseRecords, RecordError } from './model/records.js';

export const CLASSIFIER_CHANGED = 'classify.changed';
const ACTIVE_KEY = 'classify.active';
const SETTINGS_KEY = 'classify.settings';
/** Asked after the rules (100) and before a category's default department (1000). */
export const CLASSIFIER_PRIORITY = 500;

/** The repository (models shipped with it are found from here, in sources and in the build alike). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export type TargetPrecision = '0.95' | '0.98' | '0.99';

export interface ClassifySettings {
  enabled: boolean;
  /** auto-dispatch above the model's out-of-fold threshold for this precision … */
  targetPrecision: TargetPrecision;
  /** … unless an administrator set a threshold of their own (0 … 1) */
  threshold: number | null;
  /** categories (and their subcategories) whose cases the classifier routes */
  scope: string[];
  /** topic → department (and category) */
  topics: Record<string, { departmentId: string | null; categoryId: string | null }>;
}

interface ActiveState {
  version: string | null;
  previous: string | null;
  at: string;
  by: string | null;
}

/** Parsed models by version, shared by the app instances of this process (tests run many). */
const parsed = new Map<string, TextClassifier>();
function remember(m: TextClassifier): TextClassifier {
  parsed.delete(m.version);
  parsed.set(m.version, m);
  while (parsed.size > 3) parsed.delete(parsed.keys().next().value!);
  return m;
}

export interface ClassifyDeps {
  org: OrgService;
  catalog: CatalogService;
  dispatch: DispatchService;
  audit: AuditService;
  /** a case's text and the suggestion stored with it (the cases module owns the table) */
  loadCase: (id: string, executor: Executor) => Promise<{ text: string; suggestion: string | null } | null>;
  /** the cases reported since a time that the classifier suggested or dispatched, newest first */
  classifiedSince: (since: string, limit: number) => Promise<ClassifiedCase[]>;
}

/** At most this many recent cases go into the live figures. */
const LIVE_MAX_CASES = 50_000;

export class ClassifierService {
  private model: TextClassifier | null = null;
  private state: ActiveState = { version: null, previous: null, at: '', by: null };
  private settings: ClassifySettings;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: ClassifyDeps,
  ) {
    this.settings = this.defaultSettings();
    ctx.bus.subscribe(CLASSIFIER_CHANGED, () => {
      this.reload().catch((err) => ctx.log.error({ err }, 'classifier reload failed'));
    });
    deps.dispatch.register(
      { name: 'classifier', suggest: (input) => this.suggest(input) },
      CLASSIFIER_PRIORITY,
    );
  }

  /** The configuration's settings, its department and category codes resolved to ids. */
  defaultSettings(): ClassifySettings {
    const c = this.ctx.config.classifier;
    const topics: ClassifySettings['topics'] = {};
    for (const [label, t] of Object.entries(c.topics)) {
      topics[label] = {
        departmentId: this.deps.org.departmentByCode(t.department)?.id ?? null,
        categoryId: (t.category && this.deps.catalog.byCodeOrId(t.category)?.id) || null,
      };
    }
    const scope = ['suggestion']
      .map((code) => this.deps.catalog.byCodeOrId(code)?.id)
      .filter((x): x is string => !!x);
    return { enabled: c.enabled, targetPrecision: c.targetPrecision, threshold: null, scope, topics };
  }

  async reload(): Promise<void> {
    const rows = await this.ctx.kysely
      .selectFrom('setting')
      .select(['key', 'value'])
      .where('key', 'in', [ACTIVE_KEY, SETTINGS_KEY])
      .execute();
    const get = (k: string) => rows.find((r) => r.key === k)?.value;
    const active = get(ACTIVE_KEY);
    this.state = active
      ? (JSON.parse(active) as ActiveState)
      : { version: null, previous: null, at: '', by: null };
    const s = get(SETTINGS_KEY);
    this.settings = s
      ? { ...this.defaultSettings(), ...(JSON.parse(s) as Partial<ClassifySettings>) }
      : this.defaultSettings();
    this.model = this.state.version ? await this.load(this.state.version) : null;
  }

  /** A registered model, parsed (once per process). */
  private async load(version: string): Promise<TextClassifier> {
    const hit = parsed.get(version);
    if (hit) return hit;
    const row = await this.ctx.kysely
      .selectFrom('classify_model')
      .select('data')
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw new AppError('classify.model_not_found');
    return remember(deserialiseModel(Buffer.from(row.data, 'base64')));
  }

  activeModel(): TextClassifier | null {
    return this.settings.enabled ? this.model : null;
  }

  threshold(model: TextClassifier | null = this.model): number | null {
    if (!model) return null;
    if (this.settings.threshold !== null) return this.settings.threshold;
    const key = `p${Math.round(Number(this.settings.targetPrecision) * 100)}` as 'p95' | 'p98' | 'p99';
    return model.thresholds[key];
  }

  private inScope(categoryId: string): boolean {
    for (let c = this.deps.catalog.find(categoryId); c; c = this.deps.catalog.find(c.parentId)) {
      if (this.settings.scope.includes(c.id)) return true;
    }
    return false;
  }

  /** What the classifier says about a text: topic, calibrated confidence, three best with departments. */
  predict(text: string) {
    const model = this.activeModel();
    if (!model) return null;
    const p = model.classify({ text });
    const threshold = this.threshold(model)!;
    const departmentOf = (label: string) => this.settings.topics[label]?.departmentId ?? null;
    return {
      modelVersion: model.version,
      label: p.label,
      confidence: p.confidence,
      threshold,
      auto: p.confidence >= threshold && departmentOf(p.label) !== null,
      departmentId: departmentOf(p.label),
      categoryId: this.settings.topics[p.label]?.categoryId ?? null,
      top: p.top.slice(0, 3).map((t) => ({ ...t, departmentId: departmentOf(t.label) })),
    };
  }

  /** The dispatch suggester: auto-dispatch when sure, else the best topic with the top three. */
  suggest(input: DispatchInput): DispatchSuggestion | null {
    if (!input.text.trim() || !this.inScope(input.categoryId)) return null;
    const p = this.predict(input.text);
    if (!p || !p.departmentId) return null;
    const pct = `${Math.round(p.confidence * 100)}%`;
    return {
      departmentId: p.departmentId,
      target: 'department',
      mode: p.auto ? 'auto' : 'suggest',
      confidence: p.confidence,
      source: 'classifier',
      modelVersion: p.modelVersion,
      label: p.label,
      alternatives: p.top.map((t) => ({
        label: t.label,
        departmentId: t.departmentId,
        confidence: t.confidence,
      })),
      reason: {
        zh: `文本分类：「${p.label}」，置信度 ${pct}${p.auto ? '（达到自动派遣门槛）' : ''}`,
        en: `Text classifier: “${p.label}”, confidence ${pct}${p.auto ? ' (above the auto-dispatch threshold)' : ''}`,
      },
    };
  }

  // ── model versions ─────────────────────────────────────────────────────
  async register(actor: StaffActor | null, bytes: Buffer, note?: string): Promise<{ version: string }> {
    let model: TextClassifier;
    try {
      model = deserialiseModel(bytes);
    } catch {
      throw new AppError('classify.model_invalid');
    }
    const d = model.data;
    const exists = await this.ctx.kysely
      .selectFrom('classify_model')
      .select('version')
      .where('version', '=', d.version)
      .executeTakeFirst();
    if (exists) throw new AppError('classify.model_exists');
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? bytes : gzipSync(bytes);
    await this.ctx.tx.run(async (trx) => {
      await trx
        .insertInto('classify_model')
        .values({
          version: d.version,
          labels: JSON.stringify(d.labels),
          thresholds: JSON.stringify(d.thresholds),
          cv: d.cv ? JSON.stringify(d.cv) : null,
          provenance: JSON.stringify(d.provenance),
          bytes: gz.length,
          data: gz.toString('base64'),
          note: note ?? null,
          registered_at: this.ctx.clock.now().toISOString(),
          registered_by: actor?.id ?? null,
        })
        .execute();
      await this.deps.audit.record(
        {
          actor: actor ?? { kind: 'system', name: 'classifier' },
          action: 'classify.model_registered',
          subjectKind: 'classify_model',
          subjectId: d.version,
          detail: { bytes: gz.length, cv: d.cv },
        },
        trx,
      );
    });
    remember(model);
    return { version: d.version };
  }

  /**
   * The demo subdistrict's model (trained on the TipDM corpus, shipped in the repository): registered
   * and activated when no model is registered yet. Returns its version, or null.
   */
  async registerDemo(): Promise<string | null> {
    const file = this.ctx.config.classifier.demoModel;
    if (!file) return null;
    const full = path.resolve(repoRoot, file);
    if (!fs.existsSync(full)) {
      this.ctx.log.warn({ file: full }, 'the demo classifier model is missing; dispatch runs without it');
      return null;
    }
    const any = await this.ctx.kysely
      .selectFrom('classify_model')
      .select('version')
      .limit(1)
      .executeTakeFirst();
    if (any) return null;
    const { version } = await this.register(null, fs.readFileSync(full), 'demo: TipDM 2020 message board');
    await this.activate(null, version);
    return version;
  }

  async listModels(page: number, pageSize: number) {
    const rows = await this.ctx.kysely
      .selectFrom('classify_model')
      .select(['version', 'labels', 'thresholds', 'cv', 'provenance', 'bytes', 'note', 'registered_at'])
      .orderBy('registered_at', 'desc')
      .orderBy('version', 'desc')
      .execute();
    const items = rows.map((r) => {
      const prov = JSON.parse(r.provenance) as {
        trainedAt?: string;
        documents?: number;
        corrections?: number;
      };
      return {
        version: r.version,
        labels: JSON.parse(r.labels) as string[],
        thresholds: JSON.parse(r.thresholds) as Record<string, number>,
        cv: r.cv ? (JSON.parse(r.cv) as Record<string, unknown>) : null,
        trainedAt: prov.trainedAt ?? null,
        documents: prov.documents ?? null,
        corrections: prov.corrections ?? 0,
        bytes: r.bytes,
        note: r.note,
        registeredAt: r.registered_at,
        active: r.version === this.state.version,
        previous: r.version === this.state.previous,
      };
    });
    return { ...pageOf(items, page, pageSize), active: this.activeView() };
  }

  activeView() {
    return {
      version: this.state.version,
      previous: this.state.previous,
      activatedAt: this.state.at || null,
      enabled: this.settings.enabled,
      threshold: this.threshold(),
    };
  }

  /** Makes a version the one that classifies (or none); the one before is kept for a rollback. */
  async activate(actor: StaffActor | null, version: string | null): Promise<void> {
    if (version) await this.load(version);
    if (version === this.state.version) return;
    const next: ActiveState = {
      version,
      previous: this.state.version,
      at: this.ctx.clock.now().toISOString(),
      by: actor?.id ?? null,
    };
    await this.ctx.tx.run(async (trx) => {
      await this.putSetting(trx, ACTIVE_KEY, next);
      await this.deps.audit.record(
        {
          actor: actor ?? { kind: 'system', name: 'classifier' },
          action: version ? 'classify.model_activated' : 'classify.model_deactivated',
          subjectKind: 'classify_model',
          subjectId: version ?? this.state.version,
          detail: { previous: this.state.version },
        },
        trx,
      );
    });
    await this.changed();
  }

  /** Back to the version that was active before this one. */
  async rollback(actor: StaffActor): Promise<void> {
    if (!this.state.previous) throw new AppError('classify.no_previous');
    await this.activate(actor, this.state.previous);
  }

  // ── settings ───────────────────────────────────────────────────────────
  settingsView() {
    const model = this.model;
    return {
      settings: this.settings,
      labels: model ? [...model.labels] : Object.keys(this.settings.topics),
      thresholds: model?.thresholds ?? null,
      cv: model?.data.cv ?? null,
      threshold: this.threshold(),
    };
  }

  async updateSettings(actor: StaffActor, s: ClassifySettings): Promise<void> {
    for (const t of Object.values(s.topics)) {
      if (t.departmentId && !this.deps.org.department(t.departmentId))
        throw new AppError('org.not_found', { departmentId: t.departmentId });
      if (t.categoryId && !this.deps.catalog.find(t.categoryId))
        throw new AppError('category.not_found', { categoryId: t.categoryId });
    }
    for (const id of s.scope) if (!this.deps.catalog.find(id)) throw new AppError('category.not_found');
    await this.ctx.tx.run(async (trx) => {
      await this.putSetting(trx, SETTINGS_KEY, s);
      await this.deps.audit.record(
        {
          actor,
          action: 'classify.settings_updated',
          subjectKind: 'setting',
          subjectId: SETTINGS_KEY,
          detail: { before: this.settings, after: s },
        },
        trx,
      );
    });
    await this.changed();
  }

  // ── in daily work ──────────────────────────────────────────────────────
  /** Per model version, over the cases of the last `days`: dispatched on its own and kept or moved,
   * suggested and which topic the dispatcher took (classify.live.ts). */
  async live(days: number) {
    const now = this.ctx.clock.now();
    const since = new Date(now.getTime() - days * 86_400_000).toISOString();
    const rows = await this.deps.classifiedSince(since, LIVE_MAX_CASES);
    return {
      since,
      days,
      active: this.state.version,
      capped: rows.length >= LIVE_MAX_CASES,
      versions: liveFigures(rows),
    };
  }

  // ── corrections ────────────────────────────────────────────────────────
  /**
   * A person dispatched a case somewhere other than where the classifier sent or suggested it: the
   * message, what the model said and what the person chose are kept for the next training.
   */
  async onDispatched(e: OutboxEvent, trx: Executor): Promise<void> {
    const p = e.payload as {
      caseId: string;
      departmentId: string | null;
      actor: { kind: string; id: string | null };
    };
    if (p.actor.kind !== 'staff' || !p.departmentId) return;
    const c = await this.deps.loadCase(p.caseId, trx);
    if (!c?.suggestion) return;
    const s = JSON.parse(c.suggestion) as DispatchSuggestion;
    if (s.source !== 'classifier' || s.departmentId === p.departmentId) return;
    const labels = Object.entries(this.settings.topics)
      .filter(([, t]) => t.departmentId === p.departmentId)
      .map(([l]) => l);
    await trx
      .insertInto('classify_correction')
      .values({
        id: e.id,
        case_id: p.caseId,
        text: c.text,
        model_version: s.modelVersion ?? null,
        predicted_label: s.label ?? null,
        predicted_department_id: s.departmentId,
        confidence: s.confidence,
        auto: s.mode === 'auto' ? 1 : 0,
        department_id: p.departmentId,
        label: labels.length === 1 ? labels[0]! : null,
        staff_id: p.actor.id,
        created_at: e.createdAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async listCorrections(page: number, pageSize: number) {
    const base = this.ctx.kysely.selectFrom('classify_correction');
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .execute();
    return {
      total: Number(n),
      page,
      pageSize,
      items: rows.map((r) => ({
        id: r.id,
        caseId: r.case_id,
        text: r.text,
        modelVersion: r.model_version,
        predictedLabel: r.predicted_label,
        predictedDepartmentId: r.predicted_department_id,
        confidence: r.confidence,
        auto: !!r.auto,
        departmentId: r.department_id,
        label: r.label,
        createdAt: r.created_at,
      })),
    };
  }

  /** Corrections with a topic, as training lines for `classify-train --corrections`. */
  async correctionsJsonl(): Promise<string> {
    const rows = await this.ctx.kysely
      .selectFrom('classify_correction')
      .select(['case_id', 'text', 'label'])
      .where('label', 'is not', null)
      .orderBy('created_at')
      .execute();
    return (
      rows.map((r) => JSON.stringify({ id: r.case_id, text: r.text, label: r.label })).join('\n') +
      (rows.length ? '\n' : '')
    );
  }

  // ── evaluation sets: compare versions on the same messages ─────────────
  async addEvalset(actor: StaffActor, name: string, content: string): Promise<{ id: string; lines: number }> {
    let lines: number;
    try {
      lines = parseRecords(content, name, true).length;
    } catch (err) {
      if (err instanceof RecordError) throw new AppError('classify.evalset_invalid', { line: err.message });
      throw err;
    }
    if (lines === 0) throw new AppError('classify.evalset_invalid');
    const id = newId(this.ctx.clock.now().getTime());
    await this.ctx.kysely
      .insertInto('classify_evalset')
      .values({
        id,
        name,
        lines,
        data: gzipSync(content).toString('base64'),
        created_at: this.ctx.clock.now().toISOString(),
        created_by: actor.id,
      })
      .execute();
    await this.deps.audit.record({
      actor,
      action: 'classify.evalset_added',
      subjectKind: 'classify_evalset',
      subjectId: id,
      detail: { name, lines },
    });
    return { id, lines };
  }

  async listEvalsets() {
    const rows = await this.ctx.kysely
      .selectFrom('classify_evalset')
      .select(['id', 'name', 'lines', 'created_at'])
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
    return { items: rows.map((r) => ({ id: r.id, name: r.name, lines: r.lines, createdAt: r.created_at })) };
  }

  /** Each version's figures on one evaluation set (computed once per pair, then kept). */
  async compare(evalsetId: string, versions: readonly string[]) {
    const set = await this.ctx.kysely
      .selectFrom('classify_evalset')
      .selectAll()
      .where('id', '=', evalsetId)
      .executeTakeFirst();
    if (!set) throw new AppError('classify.evalset_not_found');
    let records: ReturnType<typeof parseRecords> | null = null;
    const out: { version: string; report: EvaluationReport }[] = [];
    for (const version of versions) {
      const cached = await this.ctx.kysely
        .selectFrom('classify_eval')
        .select('report')
        .where('model_version', '=', version)
        .where('evalset_id', '=', evalsetId)
        .executeTakeFirst();
      if (cached) {
        out.push({ version, report: JSON.parse(cached.report) as EvaluationReport });
        continue;
      }
      const model = await this.load(version);
      records ??= parseRecords(gunzipSync(Buffer.from(set.data, 'base64')).toString('utf8'), set.name, true);
      const report = evaluate(model, records);
      await this.ctx.kysely
        .insertInto('classify_eval')
        .values({
          model_version: version,
          evalset_id: evalsetId,
          report: JSON.stringify(report),
          created_at: this.ctx.clock.now().toISOString(),
        })
        .onConflict((oc) => oc.columns(['model_version', 'evalset_id']).doNothing())
        .execute();
      out.push({ version, report });
    }
    return { evalset: { id: set.id, name: set.name, lines: set.lines }, items: out };
  }

  private async putSetting(trx: Executor, key: string, value: unknown) {
    const now = this.ctx.clock.now().toISOString();
    const v = JSON.stringify(value);
    await trx
      .insertInto('setting')
      .values({ key, value: v, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: now }))
      .execute();
  }

  private async changed(): Promise<void> {
    await this.reload();
    if (this.ctx.bus.kind !== 'memory') await this.ctx.bus.publish(CLASSIFIER_CHANGED, {});
  }
}
