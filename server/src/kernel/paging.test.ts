import { describe, expect, it } from 'vitest';
import { matchesQuery, pageOf } from './paging.js';

describe('paging', () => {
  it('cuts a page and reports the total', () => {
    const all = Array.from({ length: 23 }, (_, i) => i);
    expect(pageOf(all, 1, 10)).toEqual({
      items: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      total: 23,
      page: 1,
      pageSize: 10,
    });
    expect(pageOf(all, 3, 10).items).toEqual([20, 21, 22]);
    expect(pageOf(all, 4, 10).items).toEqual([]);
  });
  it('matches a search in any field, ignoring case and spaces around it', () => {
    expect(matchesQuery(undefined, 'x')).toBe(true);
    expect(matchesQuery('  ', 'x')).toBe(true);
    expect(matchesQuery(' Env ', '环保所', 'Environment office')).toBe(true);
    expect(matchesQuery('环保', null, '环保所')).toBe(true);
    expect(matchesQuery('城管', '环保所', 'Environment office')).toBe(false);
  });
});
