// Reply drafts (参考草稿): the public replies of similar past cases, offered to the person answering a
// case as text to edit — never sent by themselves. A SimilarityIndex over the most recent answered cases
// (`replyDrafts.corpusSize`), built on the first request and kept `cacheSeconds`; a reply given on this
// instance joins it at once, other instances' replies at the next rebuild. The build yields to the
// event loop every few hundred cases, and a reply joining it re-weighs nothing. The same category is
// preferred; the figures behind the threshold are in docs/dispatch.md.
import type { AppContext } from '../../kernel/context.js';
import type { CatalogService } from '../catalog/index.js';
import { SimilarityIndex } from '../classify/index.js';
import { caseText } from './case.duplicates.js';
import type { CaseRow, CasesRepo } from './cases.repo.js';

export interface PastReply {
  caseId: string;
  number: string;
  categoryId: string;
  text: string;
  repliedAt: string | null;
}

export interface ReplyDraft extends PastReply {
  similarity: number;
}

/** Bonus to the similarity of a past case of the same category when ranking (not shown). */
const SAME_CATEGORY_BONUS = 0.05;

export class ReplyDrafts {
  private index: SimilarityIndex<PastReply> | null = null;
  private builtAt = 0;
  private building: Promise<SimilarityIndex<PastReply>> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly repo: CasesRepo,
    private readonly catalog: CatalogService,
  ) {}

  private async current(): Promise<SimilarityIndex<PastReply>> {
    const ttl = this.ctx.config.replyDrafts.cacheSeconds * 1000;
    if (this.index && Date.now() - this.builtAt < ttl) return this.index;
    this.building ??= this.build().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async build(): Promise<SimilarityIndex<PastReply>> {
    const rows = await this.repo.repliedCases(this.ctx.config.replyDrafts.corpusSize);
    const index = new SimilarityIndex<PastReply>();
    // thousands of past cases: built in slices, so other requests are answered meanwhile
    await index.addAll(
      rows
        .filter((r) => r.result_text)
        .map((r) => ({
          item: {
            caseId: r.id,
            number: r.number,
            categoryId: r.category_id,
            text: r.result_text!,
            repliedAt: r.replied_at,
          },
          text: caseText(r),
        })),
    );
    this.index = index;
    this.builtAt = Date.now();
    return index;
  }

  /** A reply was just given on this instance: it can serve as a draft at once. */
  noteReply(row: CaseRow): void {
    if (!this.index || !row.result_text) return;
    this.index.add(
      {
        caseId: row.id,
        number: row.number,
        categoryId: row.category_id,
        text: row.result_text,
        repliedAt: row.replied_at,
      },
      caseText(row),
    );
  }

  /** Forget the index (tests; a bulk import). */
  reset(): void {
    this.index = null;
  }

  /** Up to `k` drafts for a case: distinct reply texts of other similar cases, most similar first
   * (a past case of the same category, or of a parent/child category, ranks a little higher). */
  async draftsFor(row: CaseRow, k = 3): Promise<ReplyDraft[]> {
    const index = await this.current();
    const min = this.ctx.config.replyDrafts.minSimilarity;
    const related = new Set([row.category_id]);
    const parent = this.catalog.find(row.category_id)?.parentId;
    if (parent) related.add(parent);
    const hits = index
      .nearest(caseText(row), 30, { min, filter: (p) => p.caseId !== row.id })
      .map((h) => ({
        ...h,
        rank:
          h.score +
          (h.item.categoryId === row.category_id
            ? SAME_CATEGORY_BONUS
            : related.has(h.item.categoryId) ||
                related.has(this.catalog.find(h.item.categoryId)?.parentId ?? '')
              ? SAME_CATEGORY_BONUS / 2
              : 0),
      }))
      .sort((a, b) => b.rank - a.rank);
    const out: ReplyDraft[] = [];
    const seen = new Set<string>();
    for (const h of hits) {
      const key = h.item.text.trim();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...h.item, similarity: Math.round(h.score * 100) / 100 });
      if (out.length >= k) break;
    }
    return out;
  }
}
