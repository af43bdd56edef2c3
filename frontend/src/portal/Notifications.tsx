// 我的通知: my notifications, newest first; opening one marks it read and goes to its request.
import { Badge, Button, Card, Empty, Flex, List, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';
import { useMarkRead, useNotifications, useReadAll, type Notification } from './hooks';

export default function Notifications() {
  const t = useT();
  const navigate = useNavigate();
  const notes = useNotifications();
  const markRead = useMarkRead();
  const readAll = useReadAll();
  const items = notes.data?.items ?? [];
  const unread = notes.data?.unread ?? 0;

  function open(n: Notification) {
    if (!n.read_at) markRead.mutate(n.id);
    const link = n.link.replace(/^https?:\/\/[^/]+/, '');
    if (link.startsWith('/portal')) navigate(link);
  }

  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('portal.notes.title')}</Typography.Title>
        {unread > 0 && <Button onClick={() => readAll.mutate()} loading={readAll.isPending} style={{ minHeight: 44 }}>{t('portal.notes.readAll')}</Button>}
      </Flex>
      <PageState q={notes}>
        <Card styles={{ body: { padding: 0 } }}>
          {items.length === 0 ? <Empty style={{ padding: 24 }} description={t('portal.notes.empty')} /> : (
            <List data-testid="portal-notes" dataSource={items} renderItem={(n) => (
              <List.Item className={n.read_at ? undefined : 'portal-unread'} style={{ padding: 0 }}>
                <button type="button" onClick={() => open(n)} style={{ all: 'unset', cursor: 'pointer', display: 'block', width: '100%', padding: '14px 16px', boxSizing: 'border-box' }}
                  aria-label={`${n.read_at ? '' : t('portal.notes.unread') + ' '}${n.title}`}>
                  <Flex justify="space-between" gap={8}>
                    <Typography.Text strong={!n.read_at}>{n.title}</Typography.Text>
                    {!n.read_at && <Badge status="processing" text={t('portal.notes.unread')} />}
                  </Flex>
                  <div>{n.body}</div>
                  <div className="portal-meta">{formatDateTime(n.created_at)}</div>
                </button>
              </List.Item>
            )} />
          )}
        </Card>
      </PageState>
    </>
  );
}
