// The administrator's approval-plan templates (审批计划模板): one per kind of project, each a chain
// of approval nodes. A template is edited on its own page; plans made from it keep their nodes.
import { Button, Card, Empty, Space, Table, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { PageState } from '../components/PageState';
import { formatDateTime } from '../lib/format';
import { useT } from '../i18n';
import { usePlanTemplates, type PlanTemplate } from './hooks';

export default function TemplateList() {
  const t = useT();
  const nav = useNavigate();
  const q = usePlanTemplates();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('plans.templates')}</Typography.Title>
          <Typography.Text type="secondary">{t('plans.templates.sub')}</Typography.Text>
        </div>
        <Button type="primary" onClick={() => nav('/admin/plan-templates/new')}>{t('plans.templates.new')}</Button>
      </Space>
      <Card size="small">
        <PageState q={q}>
          <Table<PlanTemplate> rowKey="id" size="small" pagination={false} dataSource={q.data ?? []} data-testid="plan-templates"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plans.templates.empty')} /> }}
            columns={[
              { title: t('plans.template.name'), dataIndex: 'name', render: (v, r) => <Link to={`/admin/plan-templates/${r.id}`}>{v}</Link> },
              { title: t('plans.template.kind'), dataIndex: 'project_kind', width: 120, render: (k) => t(`projects.kind.${k}`) },
              { title: t('plans.template.nodes'), key: 'n', width: 100, render: (_, r) => (r.nodes ?? []).length },
              { title: t('plans.template.days'), key: 'd', width: 140, render: (_, r) => t('plans.node.days', { n: (r.nodes ?? []).reduce((a, n) => a + n.days, 0) }) },
              { title: t('plans.template.updated'), dataIndex: 'updated_at', width: 170, render: (v) => formatDateTime(v) },
            ]} />
        </PageState>
      </Card>
    </Space>
  );
}
