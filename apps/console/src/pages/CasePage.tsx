// A case on its own page (links from anywhere in the console).
import { useEffect, useState } from 'react';
import { App, Card, Spin } from 'antd';
import type { ApiError } from '@jiedao/web/api';
import { ActionBar } from '../components/ActionBar';
import { CaseView } from '../components/CaseView';
import { loadCase } from '../lib/cases';
import type { CaseDetail } from '../lib/types';

export default function CasePage({ params }: { params: Record<string, string> }) {
  const { message } = App.useApp();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  useEffect(() => {
    loadCase(params.id!).then(setDetail, (e: ApiError) => void message.error(e.message));
  }, [params.id, message]);
  if (!detail) return <Spin />;
  return (
    <Card title={detail.number} extra={<ActionBar detail={detail} onDone={setDetail} />}>
      <CaseView detail={detail} />
    </Card>
  );
}
