// The resident's own grid (我的网格). The profile only stores its id and no public endpoint resolves an
// id, so the grid landing page remembers the grid it set (id + code) on this phone; the name is then
// read fresh, in the current language, from the public GET /api/grids/:code. Without that memo the
// screen says "已设置" rather than guess.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import type { GridRef } from '../lib/types';

const KEY = 'jd.myGrid';

interface Memo {
  id: string;
  code: string;
  name: string;
  community: string;
}

function readMemo(): Memo | null {
  try {
    const m = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Memo | null;
    return m && typeof m.id === 'string' && typeof m.code === 'string' ? m : null;
  } catch {
    return null;
  }
}

export function rememberMyGrid(g: {
  id: string;
  code: string;
  name: string;
  community: { name: string };
}): void {
  try {
    localStorage.setItem(
      KEY,
      JSON.stringify({ id: g.id, code: g.code, name: g.name, community: g.community.name }),
    );
  } catch {
    // private mode: the name is only a convenience
  }
}

/** "福永社区第 3 网格（福永社区）", "已设置" or "未设置…" for the stored grid id. */
export function MyGridName({ gridId }: { gridId: string | null }) {
  const { t, locale } = useI18n();
  const [memo, setMemo] = useState(() => {
    const m = readMemo();
    return m && m.id === gridId ? m : null;
  });
  const code = memo?.code;
  useEffect(() => {
    if (!code) return;
    let live = true;
    api<{ grid: GridRef }>('GET', `/api/grids/${encodeURIComponent(code)}`)
      .then(({ grid }) => {
        if (!live || grid.id !== gridId) return;
        rememberMyGrid(grid);
        setMemo({ id: grid.id, code: grid.code, name: grid.name, community: grid.community.name });
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [code, gridId, locale]);
  if (!gridId) return <>{t('me.noGrid')}</>;
  if (!memo || memo.id !== gridId) return <>{t('me.gridSet')}</>;
  return <>{t('report.gridFound', { grid: memo.name, community: memo.community })}</>;
}
