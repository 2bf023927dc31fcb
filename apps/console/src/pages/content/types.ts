// The shapes of the content API as the console reads them (server/src/modules/content).
export type ArticleState = 'draft' | 'scheduled' | 'published';

export interface SectionNode {
  id: string;
  code: string;
  name: string;
  nameZh: string;
  nameEn: string;
  parentId: string | null;
  sort: number;
  articleCount: number;
  counts: Record<ArticleState, number>;
  children: SectionNode[];
}

export interface ArticleItem {
  id: string;
  title: string;
  summary: string;
  coverFileId: string | null;
  coverUrl: string | null;
  coverThumbUrl: string | null;
  section: { id: string; code: string; name: string } | null;
  status: 'draft' | 'published';
  state: ArticleState;
  publishAt: string | null;
  pinned: boolean;
  authorName: string | null;
  viewCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Attachment {
  fileId: string;
  name: string;
  size: number;
  mime: string;
  url?: string;
}

export interface ArticleDetail extends ArticleItem {
  bodyFormat: 'markdown' | 'html';
  body: string;
  bodyHtml: string;
  attachments: Attachment[];
}

export interface UploadedFile {
  id: string;
  kind: 'image' | 'document';
  name: string;
  mime: string;
  size: number;
  url: string;
  thumbUrl: string | null;
}

export const CONTENT_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** Every section, depth first, with its depth (for selects and lookups). */
export function flattenSections(nodes: SectionNode[], depth = 0): (SectionNode & { depth: number })[] {
  return nodes.flatMap((n) => [{ ...n, depth }, ...flattenSections(n.children, depth + 1)]);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export interface SectionOption {
  value: string;
  title: string;
  children: SectionOption[];
}

/** The tree as TreeSelect options, without `exclude` and what is below it. */
export function sectionOptions(nodes: SectionNode[], exclude?: string): SectionOption[] {
  return nodes
    .filter((n) => n.id !== exclude)
    .map((n) => ({ value: n.id, title: n.name, children: sectionOptions(n.children, exclude) }));
}
