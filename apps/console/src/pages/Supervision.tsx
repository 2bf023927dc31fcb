// Leaders: open cases running late or about to, most urgent first; supervise (督办) from the drawer.
import { CaseQueue } from '../components/CaseQueue';
import { useI18n } from '../lib/i18n';

export default function Supervision() {
  const { t } = useI18n();
  return (
    <CaseQueue
      title={t('nav.supervision')}
      states={['accepted', 'dispatched', 'signed', 'in_progress', 'replied', 'escalated']}
      sort="urgency"
      overdueOnly
    />
  );
}
