// Server-side paging for list endpoints: the query fields every list accepts, and a page cut from a
// list the server already holds in memory (small reference tables: rules, departments, categories).
import { z } from 'zod';

/** `page` (from 1) and `pageSize` for a list's querystring. */
export function pageQuery(maxPageSize = 200, defaultPageSize = 50) {
  return {
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  };
}

/** The rows a page stands for, as a repository's `{ offset, limit }`. */
export function pageRange(q: { page: number; pageSize: number }): { offset: number; limit: number } {
  return { offset: (q.page - 1) * q.pageSize, limit: q.pageSize };
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function pageOf<T>(all: readonly T[], page: number, pageSize: number): Page<T> {
  return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
}

/** Case- and width-insensitive "contains" for a search box (q). */
export function matchesQuery(q: string | undefined, ...fields: (string | null | undefined)[]): boolean {
  if (!q) return true;
  const needle = q.trim().toLowerCase();
  return !needle || fields.some((f) => f?.toLowerCase().includes(needle));
}

/** A boolean filter in a querystring: `true` / `false`, absent = both. */
export const boolQuery = z.enum(['true', 'false']).optional();
