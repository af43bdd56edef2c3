// 我的诉求: my enterprise's requests, newest first, with their state and light; a filter in the URL.
import { Button, Card, Empty, Flex, Segmented, Skeleton, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { formatDate } from '../lib/format';
import { useMyTickets, type Status } from './hooks';
import { isRework, LightTag, StatusTag } from './words';

const filters = ['', 'resolved', 'closed'] as const;

export default function MyRequests() {
  const t = useT();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status') ?? '';
  const status = (filters as readonly string[]).includes(raw) ? raw : '';
  const list = useMyTickets((status || undefined) as Status | undefined);

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('portal.list.title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} size="large" onClick={() => navigate('/portal/new')}>{t('portal.list.new')}</Button>
      </Flex>
      <Segmented block size="large" aria-label={t('portal.list.filter')} value={status} style={{ marginBottom: 12 }}
        onChange={(v) => setParams(v ? { status: String(v) } : {}, { replace: true })}
        options={filters.map((f) => ({ value: f, label: t(f ? `portal.list.${f}` : 'portal.list.all') }))} />
      <PageState q={list}>
        {list.items.length === 0 ? (
          <Card><Empty description={t(status ? 'portal.list.emptyFiltered' : 'portal.list.empty')}>
            {!status && <Button type="primary" size="large" onClick={() => navigate('/portal/new')}>{t('portal.list.new')}</Button>}
          </Empty></Card>
        ) : (
          <div data-testid="portal-requests">
            {list.items.map((tk) => (
              <Link key={tk.id} to={`/portal/tickets/${tk.id}`} className="portal-request" aria-label={`${tk.number} ${tk.title}`}>
                <Card className="portal-card" hoverable>
                  <Flex justify="space-between" gap={8} align="start">
                    <Typography.Text strong style={{ fontSize: 16 }}>{tk.title}</Typography.Text>
                    <StatusTag t={t} status={tk.status} />
                  </Flex>
                  <Space size={[8, 4]} wrap style={{ marginTop: 8 }} className="portal-meta">
                    <span>{tk.number}</span>
                    <span>{tk.category_name}</span>
                    <span>{t('portal.list.submitted', { date: formatDate(tk.created_at) })}</span>
                    {tk.due_resolve_at && !['resolved', 'closed', 'rejected'].includes(tk.status) &&
                      <span>{t('portal.list.due', { date: formatDate(tk.due_resolve_at) })}</span>}
                  </Space>
                  <Space size={4} wrap style={{ marginTop: 8 }}>
                    <LightTag t={t} light={tk.light} />
                    {isRework(tk) && <Tag color="orange">{t('portal.list.rework')}</Tag>}
                    {tk.status === 'resolved' && <Tag color="gold">{t('portal.list.rate')}</Tag>}
                  </Space>
                </Card>
              </Link>
            ))}
            {list.hasMore && (
              <Button block size="large" loading={list.isFetchingNextPage} onClick={() => list.more()}>{t('portal.list.more')}</Button>
            )}
            {list.isFetchingNextPage && <Skeleton active />}
          </div>
        )}
      </PageState>
    </>
  );
}
