// PortfolioPlans: the leader's projects with their approval plan's light and forecast against the
// baseline. The project list carries no plan, so each row reads its plan (a leader's portfolio
// is a few projects; the first page only).
import { Empty, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../api/client';
import { problemMessage } from '../api/problem';
import { unwrap, useCursorList } from '../api/query';
import { Light } from '../components/Light';
import { useT } from '../i18n';
import { useProjectPlan } from './hooks';

type Project = { id: string; name: string; enterprise_name: string };

function PlanCell({ projectId, what }: { projectId: string; what: 'light' | 'finish' }) {
  const t = useT();
  const q = useProjectPlan(projectId);
  if (q.isPending) return <Typography.Text type="secondary">…</Typography.Text>;
  if (!q.data) return <Typography.Text type="secondary">{what === 'light' ? t('plans.none.short') : '—'}</Typography.Text>;
  const p = q.data;
  if (what === 'light') return <Light light={p.light} />;
  return (
    <Space direction="vertical" size={0}>
      <span>{p.forecast_finish}</span>
      <Typography.Text type={(p.late_days ?? 0) > 0 ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
        {(p.late_days ?? 0) > 0 ? t('plans.late', { n: p.late_days ?? 0 }) : t('plans.onTime')}</Typography.Text>
    </Space>
  );
}

export function PortfolioPlans() {
  const t = useT();
  const list = useCursorList<Project>(['projects', 'plans'], (cursor) =>
    unwrap(api.GET('/api/v1/projects', { params: { query: { cursor, limit: 20 } } })), true, { later: true }); // the leader home's secondary card
  if (list.isError) return <Typography.Text type="danger">{problemMessage(t, list.error)}</Typography.Text>;
  return (
    <div data-testid="portfolio-plans">
      <Table<Project> rowKey="id" size="small" loading={list.isPending} dataSource={list.items} pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.none')} /> }}
        columns={[
          { title: t('plans.portfolio.project'), key: 'p', render: (_, r) => (
            <Space direction="vertical" size={0}>
              <Link to={`/projects/${r.id}`}>{r.name}</Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.enterprise_name}</Typography.Text>
            </Space>) },
          { title: t('plans.portfolio.light'), key: 'l', width: 90, render: (_, r) => <PlanCell projectId={r.id} what="light" /> },
          { title: t('plans.forecast_finish'), key: 'f', width: 150, render: (_, r) => <PlanCell projectId={r.id} what="finish" /> },
        ]} />
    </div>
  );
}
