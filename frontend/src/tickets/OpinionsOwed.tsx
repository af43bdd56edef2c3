// OpinionsOwed: the open tickets on which a co-handling opinion is owed (GET /tickets?opinion=owed),
// red first. For an officer, the opinions their department owes (with that opinion's deadline);
// for the dispatcher, every owing department of each ticket.
import { Button, Empty, Grid, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { Light } from '../components/Light';
import { problemMessage } from '../api/problem';
import { formatDateTime } from '../lib/format';
import { useT } from '../i18n';
import { clockWords } from './clock';
import { useCalendar, useTickets } from './hooks';
import type { Ticket } from './rules';

type Owed = NonNullable<Ticket['opinions_owed']>[number];
const rank: Record<string, number> = { red: 0, yellow: 1, green: 2, none: 3 };

/** worst is the most urgent of a row's owed opinions: red before yellow before green, then the nearest due. */
export function worst(owed: Owed[]): Owed | undefined {
  return [...owed].sort((a, b) => (rank[a.light] ?? 3) - (rank[b.light] ?? 3) || Date.parse(a.due_at) - Date.parse(b.due_at))[0];
}

export function OpinionsOwed({ department, testId }: { department?: string | null; testId?: string }) {
  const t = useT();
  const cal = useCalendar();
  const narrow = !Grid.useBreakpoint().md;
  const list = useTickets({ opinion: 'owed', sort: 'due' }, true, { later: true }); // a home's secondary card
  const rows = list.items
    .map((tk) => ({ tk, owed: (tk.opinions_owed ?? []).filter((o) => !department || o.department_id === department) }))
    .filter((r) => r.owed.length > 0)
    .map((r) => ({ ...r, first: worst(r.owed)! }))
    .sort((a, b) => (rank[a.first.light] ?? 3) - (rank[b.first.light] ?? 3) || Date.parse(a.first.due_at) - Date.parse(b.first.due_at));
  if (list.isError) return <Typography.Text type="danger">{problemMessage(t, list.error)}</Typography.Text>;
  const due = (o: Owed) => (
    <Space direction="vertical" size={0}>
      <Typography.Text type={o.light === 'red' ? 'danger' : undefined}>{clockWords(t, o.due_at, Date.now(), cal)}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(o.due_at)}</Typography.Text>
    </Space>
  );
  return (
    <div data-testid={testId}>
      <Table
        rowKey={(r) => r.tk.id} size="small" loading={list.isPending} dataSource={rows} pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.home.opinions.empty')} /> }}
        columns={[
          { title: t('tickets.col.light'), key: 'light', width: 72, render: (_, r) => <Light light={r.first.light} /> },
          { title: t('tickets.col.title'), key: 'title', render: (_, r) => (
            <Space direction="vertical" size={0}>
              <Link to={`/tickets/${r.tk.id}`}>{r.tk.title}</Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.tk.number} · {r.tk.enterprise_name}</Typography.Text>
              {narrow && <Typography.Text style={{ fontSize: 12 }}>{t('tickets.home.opinions.lead')}：{r.tk.department_name}</Typography.Text>}
              {narrow && due(r.first)}
            </Space>) },
          ...(narrow ? [] : [
            { title: t('tickets.home.opinions.lead'), key: 'lead', width: 160, render: (_: unknown, r: (typeof rows)[number]) => r.tk.department_name },
            ...(department ? [] : [{ title: t('tickets.opinions.co'), key: 'co', width: 200,
              render: (_: unknown, r: (typeof rows)[number]) => r.owed.map((o) => o.department_name).join('、') }]),
            { title: t('tickets.home.opinions.due'), key: 'due', width: 170, render: (_: unknown, r: (typeof rows)[number]) => due(r.first) },
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
