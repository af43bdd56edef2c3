// TicketTable: one list of tickets (number, title, enterprise, status, light, the running clock),
// paged by the server's keyset cursor. Each row links to the ticket.
import { Button, Empty, Grid, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { Light } from '../components/Light';
import { problemMessage } from '../api/problem';
import { useT } from '../i18n';
import { clockWords } from './clock';
import { useCalendar, useTickets, type TicketQuery } from './hooks';
import type { Ticket } from './rules';

export function StatusTag({ status }: { status: Ticket['status'] }) {
  const t = useT();
  const color = status === 'resolved' || status === 'closed' ? 'green' : status === 'rejected' ? 'default' : status === 'returned' ? 'orange' : 'blue';
  return <Tag color={color}>{t(`tickets.status.${status}`)}</Tag>;
}

/** runningClock is the clock that runs now: the sign-for clock while assigned, else the resolve clock. */
export function runningClock(tk: Ticket): { kind: 'sign' | 'resolve'; due: string } | undefined {
  if (tk.status === 'assigned' && tk.due_sign_at) return { kind: 'sign', due: tk.due_sign_at };
  if (['accepted', 'assigned', 'in_progress', 'returned'].includes(tk.status) && tk.due_resolve_at) return { kind: 'resolve', due: tk.due_resolve_at };
  return undefined;
}

export function ClockText({ tk }: { tk: Ticket }) {
  const t = useT();
  const cal = useCalendar();
  const c = runningClock(tk);
  if (!c) return <Typography.Text type="secondary">{t('tickets.clock.stopped')}</Typography.Text>;
  const overdue = Date.parse(c.due) < Date.now();
  return <Typography.Text type={overdue ? 'danger' : undefined}>{clockWords(t, c.due, Date.now(), cal)}</Typography.Text>;
}

// later: a secondary list of its page (useCursorList), rendered after the main one.
type Props = { filters: TicketQuery; compact?: boolean; filter?: (t: Ticket) => boolean; testId?: string; later?: boolean };

export function TicketTable({ filters, compact, filter, testId, later }: Props) {
  const t = useT();
  const list = useTickets(filters, true, { later });
  // On a phone the status and the clock go under the title: two columns fit 390 px.
  const narrow = !Grid.useBreakpoint().md;
  const items = filter ? list.items.filter(filter) : list.items;
  if (list.isError) return <Typography.Text type="danger">{problemMessage(t, list.error)}</Typography.Text>;
  return (
    <div data-testid={testId}>
      <Table<Ticket>
        rowKey="id" size="small" loading={list.isPending} dataSource={items} pagination={false}
        scroll={narrow ? undefined : { x: compact ? 600 : 1000 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.list.empty')} /> }}
        columns={[
          { title: t('tickets.col.light'), dataIndex: 'light', width: 72, render: (l) => <Light light={l} /> },
          { title: t('tickets.col.title'), dataIndex: 'title', render: (_, r) => (
            <Space direction="vertical" size={0}>
              <Link to={`/tickets/${r.id}`}>{r.title}</Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.number} · {r.enterprise_name}</Typography.Text>
              {narrow && <Space size={4} wrap><StatusTag status={r.status} /><ClockText tk={r} /></Space>}
            </Space>) },
          ...(narrow ? [] : [
            { title: t('tickets.col.category'), dataIndex: 'category_name', width: 100 },
            { title: t('tickets.col.department'), dataIndex: 'department_name', width: 160 },
          ].slice(compact ? 2 : 0)),
          ...(narrow ? [] : [
            { title: t('tickets.col.status'), dataIndex: 'status', width: 100, render: (s: Ticket['status'], r: Ticket) => (
              <Space size={2} wrap><StatusTag status={s} />{r.priority === 'urgent' && <Tag color="red">{t('tickets.priority.urgent')}</Tag>}</Space>) },
            { title: t('tickets.col.clock'), key: 'clock', width: 150, render: (_: unknown, r: Ticket) => <ClockText tk={r} /> },
          ]),
        ]}
      />
      {list.hasMore && (
        <div style={{ textAlign: 'center', marginTop: 8 }}>
          <Button onClick={() => list.more()} loading={list.isFetchingNextPage}>{t('tickets.list.more')}</Button>
        </div>
      )}
    </div>
  );
}
