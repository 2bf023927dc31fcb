// 草稿 / 定时 / 已发布 as a coloured tag.
import { Tag } from 'antd';
import { useI18n } from '../../lib/i18n';
import type { ArticleState } from './types';

const COLORS: Record<ArticleState, string> = { draft: 'default', scheduled: 'gold', published: 'green' };

export function StateTag({ state }: { state: ArticleState }) {
  const { t } = useI18n();
  return <Tag color={COLORS[state]}>{t(`content.state.${state}`)}</Tag>;
}
