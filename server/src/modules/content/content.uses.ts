// Which stored files an article uses: its cover, its attachments and the files its body links to
// (inline images `/api/content/files/<id>` and `?size=thumb`, or links to an attachment). Pure; the
// result is kept in content_file_use whenever an article is saved, and the sweep deletes files that
// no article uses.

/** The URL path of a content file, as fileUrl() writes it; ids are ULIDs but any safe token is read. */
const FILE_PATH = /\/api\/content\/files\/([A-Za-z0-9_-]{1,64})(?![A-Za-z0-9_-])/g;

/** The file ids a body's HTML refers to, in order of first appearance. */
export function fileIdsInHtml(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(FILE_PATH)) out.add(m[1]!);
  return [...out];
}

function attachmentIds(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    if (!Array.isArray(v)) return [];
    return v
      .map((a) => (a && typeof a === 'object' ? (a as { fileId?: unknown }).fileId : undefined))
      .filter((id): id is string => typeof id === 'string' && id.length > 0);
  } catch {
    return [];
  }
}

/** The distinct ids of the files an article uses: cover, then attachments, then the body's files. */
export function articleFileIds(article: {
  cover_file_id: string | null;
  /** JSON: [{ fileId, … }] as stored on the article */
  attachments: string;
  body_html: string;
}): string[] {
  const ids = new Set<string>();
  if (article.cover_file_id) ids.add(article.cover_file_id);
  for (const id of attachmentIds(article.attachments)) ids.add(id);
  for (const id of fileIdsInHtml(article.body_html)) ids.add(id);
  return [...ids];
}
