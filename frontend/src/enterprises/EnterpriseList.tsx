// 企业: the register, filtered on the server (name/pinyin/initials/credit code, level, street,
// status, steward), a page at a time by cursor.
import { Button, Empty, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, type Schemas } from '../api/client';
import { unwrap, useCursorList } from '../api/query';
import { EnterpriseData } from '../components/EnterpriseData';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { useUrlFilters } from '../lib/urlFilters';
// A list's row: staff get every field, an integration's lookup only id and name.
type Row = Schemas['EnterpriseListItem'];

const keys = ['q', 'key_level', 'street', 'status', 'steward_id'] as const;
const levels = ['provincial', 'municipal', 'district'] as const;

export default function EnterpriseList() {
  const t = useT();
  const [f, set] = useUrlFilters(keys);
  const query = { q: f.q, key_level: f.key_level as (typeof levels)[number] | undefined, street: f.street,
    status: (f.status as 'active' | 'archived' | undefined) ?? 'active', steward_id: f.steward_id };
  const list = useCursorList<Row>(['enterprises', 'list', query], (cursor) =>
    unwrap(api.GET('/api/v1/enterprises', { params: { query: { ...query, cursor, limit: 50, sort: 'name' } } })));
  return (
    <EnterpriseData>
      <Typography.Title level={3}>{t('enterprises.title')}</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label={t('common.search')}>
          <Input.Search defaultValue={f.q} allowClear placeholder={t('enterprises.search')} onSearch={(q) => set({ q })} style={{ width: 260 }} />
        </Form.Item>
        <Form.Item label={t('enterprises.key_level')}>
          <Select value={f.key_level} allowClear style={{ width: 130 }} onChange={(v) => set({ key_level: v })} placeholder={t('common.all')}
            options={levels.map((l) => ({ value: l, label: t(`enterprises.key_level.${l}`) }))} />
        </Form.Item>
        <Form.Item label={t('enterprises.street')}>
          <Input.Search defaultValue={f.street} allowClear onSearch={(street) => set({ street })} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={t('enterprises.status')}>
          <Select value={query.status} style={{ width: 110 }} onChange={(v) => set({ status: v === 'active' ? undefined : v })}
            options={[{ value: 'active', label: t('enterprises.active') }, { value: 'archived', label: t('enterprises.archived') }]} />
        </Form.Item>
        {f.steward_id && <Tag closable onClose={() => set({ steward_id: undefined })}>{t('enterprises.mine')}</Tag>}
      </Form>
      <PageState q={list}>
        <Table<Row> rowKey="id" dataSource={list.items} pagination={false} scroll={{ x: 760 }}
          locale={{ emptyText: <Empty description={t('enterprises.none')} /> }}
          columns={[
            { title: t('enterprises.name'), dataIndex: 'name', render: (n, r) => <Link to={`/enterprises/${r.id}`}>{n}</Link> },
            { title: t('enterprises.credit_code'), dataIndex: 'credit_code', width: 200 },
            { title: t('enterprises.key_level'), dataIndex: 'key_level', width: 100, render: (l) => t(`enterprises.key_level.${l}`) },
            { title: t('enterprises.industry'), dataIndex: 'industry', width: 80 },
            { title: t('enterprises.street'), dataIndex: 'street', width: 120 },
          ]} />
        {list.hasMore && <Button block onClick={() => list.more()} loading={list.isFetchingNextPage} style={{ marginTop: 12 }}>{t('common.more')}</Button>}
      </PageState>
    </EnterpriseData>
  );
}
