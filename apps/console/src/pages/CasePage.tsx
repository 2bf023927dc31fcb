// A case on its own page (links from anywhere in the console): everything the drawer shows, plus
// linked and merged cases, every attachment and (for administrators and leaders) the audit trail.
import { useEffect, useState } from 'react';
import { App, Card, Spin } from 'antd';
import type { ApiError } from '@jiedao/web/api';
import { ActionBar } from '../components/ActionBar';
import { CaseView } from '../components/CaseView';
import { DuplicateCompare } from '../components/DuplicateCompare';
import { COMPARES_DUPLICATES, loadCase, openDuplicates } from '../lib/cases';
import { useSession } from '../lib/session';
import type { CaseDetail } from '../lib/types';

export default function CasePage({ params }: { params: Record<string, string> }) {
  const { message } = App.useApp();
  const { me } = useSession();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [comparing, setComparing] = useState(false);
  useEffect(() => {
    setDetail(null);
    loadCase(params.id!).then(setDetail, (e: ApiError) => void message.error(e.message));
  }, [params.id, message]);
  if (!detail) return <Spin />;
  const canCompare = COMPARES_DUPLICATES.includes(me.role) && openDuplicates(detail).length > 0;
  return (
    <Card title={detail.number} extra={<ActionBar detail={detail} onDone={setDetail} />}>
      <CaseView detail={detail} page onCompare={canCompare ? () => setComparing(true) : undefined} />
      <DuplicateCompare
        caseId={detail.id}
        open={comparing}
        onClose={() => setComparing(false)}
        onChanged={(updated) => {
          if (updated) setDetail(updated);
          else void loadCase(detail.id).then(setDetail, () => {});
        }}
      />
    </Card>
  );
}
