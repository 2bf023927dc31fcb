// The dispatch centre's workbench: everything waiting for acceptance or dispatch, most urgent first.
import { CaseQueue } from '../components/CaseQueue';
import { useI18n } from '../lib/i18n';

export default function Workbench() {
  const { t } = useI18n();
  return (
    <CaseQueue title={t('queue.title')} states={['submitted', 'accepted']} sort="urgency" bulkDispatch />
  );
}
