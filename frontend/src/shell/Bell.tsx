// The notification bell: the unread count from GET /notifications, kept live by the
// /notifications/stream Server-Sent Events. EventSource reconnects by itself after the stream
// ends, sending Last-Event-ID so the server replays what was missed; when the browser gives up
// (the stream answered an error), the bell re-reads the list and opens a new stream a little later.
import { useEffect, useState } from 'react';
import { Badge, Button, Dropdown, Empty, List, Typography, notification } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, type Schemas } from '../api/client';
import { unwrap } from '../api/query';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';

type Notification = Schemas['NotificationBody'];
const key = ['notifications', 'recent'];

export function Bell() {
  const t = useT();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const list = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query: { limit: 10 } } })),
  });

  useEffect(() => {
    let es: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      // The stream is not a JSON operation of the generated client: the browser's EventSource is
      // the way to read text/event-stream (reconnection and Last-Event-ID come with it).
      es = new EventSource('/api/v1/notifications/stream');
      es.addEventListener('notification', (ev) => {
        const n = JSON.parse((ev as MessageEvent).data) as Notification;
        qc.invalidateQueries({ queryKey: ['notifications'] });
        notification.open({ title: n.title, description: n.body, placement: 'topRight', duration: 6 });
      });
      es.onerror = () => {
        if (es?.readyState === EventSource.CLOSED && !stopped) {
          qc.invalidateQueries({ queryKey: ['notifications'] });
          retry = setTimeout(connect, 10_000);
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      es?.close();
    };
  }, [qc]);

  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];

  async function openOne(n: Notification) {
    setOpen(false);
    if (!n.read_at) {
      await unwrap(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id: n.id } } })).catch(() => {});
      qc.invalidateQueries({ queryKey: ['notifications'] });
    }
    if (n.link) navigate(n.link.replace(/^https?:\/\/[^/]+/, ''));
  }

  async function readAll() {
    await unwrap(api.POST('/api/v1/notifications/read-all')).catch(() => {});
    qc.invalidateQueries({ queryKey: ['notifications'] });
  }

  const panel = (
    <div className="bell-panel">
      <div style={{ display: 'flex', justifyContent: 'space-between', padding: '8px 12px' }}>
        <Typography.Text strong>{t('bell.title')}</Typography.Text>
        {unread > 0 && <Button type="link" size="small" onClick={readAll}>{t('bell.read_all')}</Button>}
      </div>
      {items.length === 0 ? <Empty description={t('bell.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
        <List
          size="small"
          dataSource={items}
          renderItem={(n) => (
            <List.Item onClick={() => openOne(n)} style={{ cursor: 'pointer', padding: '8px 12px' }} className={n.read_at ? undefined : 'bell-unread'}>
              <List.Item.Meta title={n.title} description={<><div>{n.body}</div><Typography.Text type="secondary">{formatDateTime(n.created_at)}</Typography.Text></>} />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Dropdown open={open} onOpenChange={setOpen} popupRender={() => panel} trigger={['click']} placement="bottomRight">
      <Button type="text" aria-label={t('bell.label', { n: unread })} data-testid="bell">
        <Badge count={unread} size="small" overflowCount={99}><BellOutlined style={{ fontSize: 18 }} /></Badge>
      </Button>
    </Dropdown>
  );
}
