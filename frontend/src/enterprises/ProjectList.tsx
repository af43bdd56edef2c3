// 项目: projects filtered on the server by name, stage, level and light, a page at a time.
import { Button, Empty, Form, Input, Select, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../api/client';
import { unwrap, useCursorList } from '../api/query';
import { EnterpriseData } from '../components/EnterpriseData';
import { Light } from '../components/Light';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { useUrlFilters } from '../lib/urlFilters';
import { offRoad, stages, type Project, type Stage } from './hooks';

const keys = ['q', 'stage', 'light', 'key_level', 'enterprise_id'] as const;

export default function ProjectList() {
  const t = useT();
  const [f, set] = useUrlFilters(keys);
  const query = { q: f.q, stage: f.stage as Stage | undefined, light: f.light as 'red' | 'yellow' | 'green' | undefined,
    key_level: f.key_level as 'provincial' | 'municipal' | 'district' | undefined, enterprise_id: f.enterprise_id };
  const list = useCursorList<Project>(['projects', 'list', query], (cursor) =>
    unwrap(api.GET('/api/v1/projects', { params: { query: { ...query, cursor, limit: 50 } } })));
  return (
    <EnterpriseData>
      <Typography.Title level={3}>{t('projects.title')}</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label={t('common.search')}>
          <Input.Search defaultValue={f.q} allowClear onSearch={(q) => set({ q })} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('projects.stage')}>
          <Select value={f.stage} allowClear style={{ width: 130 }} placeholder={t('common.all')} onChange={(v) => set({ stage: v })}
            options={[...stages, ...offRoad].map((s) => ({ value: s, label: t(`projects.stage.${s}`) }))} />
        </Form.Item>
        <Form.Item label={t('projects.light')}>
          <Select value={f.light} allowClear style={{ width: 110 }} placeholder={t('common.all')} onChange={(v) => set({ light: v })}
            options={['red', 'yellow', 'green'].map((l) => ({ value: l, label: t(`common.light.${l}`) }))} />
        </Form.Item>
      </Form>
      <PageState q={list}>
        <Table<Project> rowKey="id" dataSource={list.items} pagination={false} scroll={{ x: 760 }}
          locale={{ emptyText: <Empty description={t('projects.none')} /> }}
          columns={[
            { title: t('projects.name'), dataIndex: 'name', render: (n, r) => <Link to={`/projects/${r.id}`}>{n}</Link> },
            { title: t('visits.enterprise'), dataIndex: 'enterprise_name', render: (n, r) => <Link to={`/enterprises/${r.enterprise_id}`}>{n}</Link> },
            { title: t('projects.stage'), dataIndex: 'stage', width: 100, render: (s) => t(`projects.stage.${s}`) },
            { title: t('projects.light'), width: 80, render: (_, r) => <Light light={r.progress?.light} /> },
            { title: `${t('projects.completed')}/${t('projects.planned')}`, width: 160, render: (_, r) => `${r.completed_investment} / ${r.planned_investment}` },
          ]} />
        {list.hasMore && <Button block onClick={() => list.more()} loading={list.isFetchingNextPage} style={{ marginTop: 12 }}>{t('common.more')}</Button>}
      </PageState>
    </EnterpriseData>
  );
}
