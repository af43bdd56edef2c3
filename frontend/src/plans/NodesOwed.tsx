// The plan nodes a department owes (GET /plan-nodes), red first, each linking to its project's
// plan: the officer's "plan nodes we owe"; and the dispatcher's board of blocked and overdue
// nodes, where a node can be waived with a reason.
import { useState } from 'react';
import { Button, Empty, Grid, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { problemMessage } from '../api/problem';
import { Light } from '../components/Light';
import { useT } from '../i18n';
import { usePlanNodes, useProjectPlan, type PlanNodeRow } from './hooks';
import { NodeDialog } from './NodeDialog';
import { NodeStatus } from './NodeStatus';

const rank: Record<string, number> = { red: 0, yellow: 1, green: 2, none: 3 };
const open: PlanNodeRow['status'][] = ['ready', 'in_progress', 'blocked'];

/** byUrgency sorts red before yellow before green, then blocked first, then the nearest due. */
export function byUrgency(a: Pick<PlanNodeRow, 'light' | 'status' | 'due_on'>, b: Pick<PlanNodeRow, 'light' | 'status' | 'due_on'>): number {
  return (rank[a.light] ?? 3) - (rank[b.light] ?? 3)
    || Number(b.status === 'blocked') - Number(a.status === 'blocked')
    || (a.due_on ?? '9999').localeCompare(b.due_on ?? '9999');
}

function NodeTable({ rows, loading, withDepartment, waive, testId, empty }: {
  rows: PlanNodeRow[]; loading: boolean; withDepartment?: boolean; waive?: (r: PlanNodeRow) => void; testId: string; empty: string;
}) {
  const t = useT();
  const narrow = !Grid.useBreakpoint().md;
  return (
    <div data-testid={testId}>
      <Table<PlanNodeRow> rowKey="id" size="small" loading={loading} dataSource={rows} pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
        columns={[
          { title: t('tickets.col.light'), dataIndex: 'light', width: 72, render: (l) => <Light light={l} /> },
          { title: t('plans.node.name'), key: 'name', render: (_, r) => (
            <Space direction="vertical" size={0}>
              <Link to={`/projects/${r.project_id}`}>{r.name}</Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.project_name} · {r.enterprise_name}</Typography.Text>
              {narrow && <Space size={4} wrap><NodeStatus status={r.status} />{r.due_on && <span>{t('plans.node.dueOn', { date: r.due_on })}</span>}</Space>}
            </Space>) },
          ...(narrow ? [] : [
            ...(withDepartment ? [{ title: t('plans.node.department'), dataIndex: 'department_name', width: 160 }] : []),
            { title: t('plans.node.status'), dataIndex: 'status', width: 96, render: (s: PlanNodeRow['status']) => <NodeStatus status={s} /> },
            { title: t('plans.node.due'), dataIndex: 'due_on', width: 120, render: (d?: string | null) => d ?? '—' },
          ]),
          // The list carries no moves (they need the plan); the board is the dispatcher's, who may waive any open node.
          ...(waive ? [{ title: t('plans.node.actions'), key: 'a', width: 90, render: (_: unknown, r: PlanNodeRow) => open.includes(r.status)
            ? <Button size="small" danger onClick={() => waive(r)}>{t('plans.move.waive')}</Button> : null }] : []),
        ]} />
    </div>
  );
}

/** NodesOwed are the open nodes of the officer's department, red first. */
export function NodesOwed({ department }: { department?: string | null }) {
  const t = useT();
  const list = usePlanNodes({ department_id: department || undefined }, true, { later: true }); // a home's secondary card
  if (list.isError) return <Typography.Text type="danger">{problemMessage(t, list.error)}</Typography.Text>;
  return (
    <>
      <NodeTable rows={[...list.items].sort(byUrgency)} loading={list.isPending} testId="nodes-owed" empty={t('plans.owed.empty')} />
      {list.hasMore && <div style={{ textAlign: 'center', marginTop: 8 }}><Button onClick={() => list.more()}>{t('common.more')}</Button></div>}
    </>
  );
}

/** NodesBoard is the dispatcher's board: blocked nodes and overdue ones, with waive. */
export function NodesBoard() {
  const t = useT();
  const blocked = usePlanNodes({ status: 'blocked' }, true, { later: true }); // a home's secondary card
  const red = usePlanNodes({ light: 'red' }, true, { later: true });
  const [waiving, setWaiving] = useState<PlanNodeRow | null>(null);
  const seen = new Set<string>();
  const rows = [...blocked.items, ...red.items].filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true))).sort(byUrgency);
  const error = blocked.error ?? red.error;
  if (error) return <Typography.Text type="danger">{problemMessage(t, error)}</Typography.Text>;
  return (
    <>
      <NodeTable rows={rows} loading={blocked.isPending || red.isPending} withDepartment waive={setWaiving} testId="nodes-board" empty={t('plans.board.empty')} />
      {waiving && <WaiveFromBoard row={waiving} onClose={() => setWaiving(null)} />}
    </>
  );
}

/** WaiveFromBoard reads the node's plan (its ETag goes with the move) and opens the waive dialog. */
function WaiveFromBoard({ row, onClose }: { row: PlanNodeRow; onClose: () => void }) {
  const plan = useProjectPlan(row.project_id);
  if (!plan.data) return null;
  return <NodeDialog plan={plan.data} nodeId={row.id} move="waive" onClose={onClose} />;
}
