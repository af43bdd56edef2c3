// 走访记录: visits by enterprise and period; the filters live in the URL so a list can be shared.
import { Button, DatePicker, Empty, Form, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { unwrap, useCursorList } from '../api/query';
import { EnterpriseData } from '../components/EnterpriseData';
import { PageState } from '../components/PageState';
import { EnterprisePicker } from '../enterprises/EnterprisePicker';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';
import type { Visit } from './hooks';

export default function VisitList() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const filters = { enterprise_id: params.get('enterprise_id') ?? undefined, from: params.get('from') ?? undefined, to: params.get('to') ?? undefined };
  const list = useCursorList<Visit>(['visits', 'list', filters], (cursor) =>
    unwrap(api.GET('/api/v1/visits', { params: { query: { ...filters, cursor, limit: 50 } } })));

  function set(k: string, v?: string) {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  }

  return (
    <EnterpriseData>
      <Typography.Title level={3}>{t('visits.list.title')}</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label={t('visits.enterprise')}>
          <EnterprisePicker value={filters.enterprise_id} onChange={(v) => set('enterprise_id', v)} style={{ width: 240 }} allowClear />
        </Form.Item>
        <Form.Item label={t('visits.list.period')}>
          <DatePicker.RangePicker
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            onChange={(r) => {
              const next = new URLSearchParams(params);
              for (const [k, d] of [['from', r?.[0]], ['to', r?.[1]]] as const) {
                if (d) next.set(k, d.format('YYYY-MM-DD'));
                else next.delete(k);
              }
              setParams(next, { replace: true });
            }}
          />
        </Form.Item>
      </Form>
      <PageState q={list}>
        <Table<Visit>
          rowKey="id"
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: <Empty description={t('visits.list.none')} /> }}
          columns={[
            { title: t('visits.visited_at'), dataIndex: 'visited_at', render: formatDateTime, width: 150 },
            { title: t('visits.enterprise'), dataIndex: 'enterprise_name', render: (v, r) => <Link to={`/enterprises/${r.enterprise_id}`}>{v}</Link> },
            { title: t('visits.kind'), dataIndex: 'kind', render: (k) => t(`visits.kind.${k}`), width: 100 },
            { title: t('visits.steward'), dataIndex: 'steward_name', width: 100 },
            { title: t('visits.summary'), dataIndex: 'summary', ellipsis: true },
            { title: t('visits.list.tickets'), dataIndex: 'ticket_ids', width: 90, render: (ids?: string[] | null) => (ids?.length ? <Tag color="blue">{ids.length}</Tag> : '') },
          ]}
        />
        {list.hasMore && <Button block onClick={() => list.more()} loading={list.isFetchingNextPage} style={{ marginTop: 12 }}>{t('common.more')}</Button>}
      </PageState>
    </EnterpriseData>
  );
}
