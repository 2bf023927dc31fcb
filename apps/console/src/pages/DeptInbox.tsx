// A department's inbox: cases dispatched to it, to sign for, handle and answer.
import { CaseQueue } from '../components/CaseQueue';
import { useI18n } from '../lib/i18n';

export default function DeptInbox() {
  const { t } = useI18n();
  return (
    <CaseQueue title={t('dept.title')} states={['dispatched', 'signed', 'in_progress']} sort="urgency" />
  );
}
