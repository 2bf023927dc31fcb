// The dispatch centre's workbench: the hot issues on top, then everything waiting for acceptance or
// dispatch, most urgent first.
import { Space } from 'antd';
import { CaseQueue } from '../components/CaseQueue';
import { HotIssuesList } from '../components/HotIssues';
import { useI18n } from '../lib/i18n';

export default function Workbench() {
  const { t } = useI18n();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <HotIssuesList />
      <CaseQueue title={t('queue.title')} states={['submitted', 'accepted']} sort="urgency" bulkDispatch />
    </Space>
  );
}
