// The project's approval plan (审批节点计划) on the project page: status, light, baseline against
// forecast finish, the critical path, the Gantt chart and the node table with the moves the viewer
// may make (the server lists them per node). A project without a plan offers "create from
// template" to its steward and the dispatcher.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Empty, Form, Grid, Select, Skeleton, Space, Table, Tag, Timeline, Typography, App } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router';
import { applyFieldErrors, isApiError, problemMessage } from '../api/problem';
import type { Tagged } from '../api/query';
import { Chart } from '../components/Chart';
import { Light } from '../components/Light';
import { formatDateTime } from '../lib/format';
import { useT } from '../i18n';
import { useUser } from '../shell/session';
import { beijingToday, colors, ganttOption, ganttSummary } from './gantt';
import { newIdempotencyKey, useCreatePlan, usePlanEvents, usePlanTemplates, useProjectPlan, type NodeMove, type Plan, type PlanNode } from './hooks';
import { NodeDialog } from './NodeDialog';
import { NodeStatus } from './NodeStatus';

/** PlanSection is the plan of a project, or the way to make one. */
export function PlanSection({ projectId, projectKind, canCreate }: { projectId: string; projectKind?: string; canCreate: boolean }) {
  const t = useT();
  const q = useProjectPlan(projectId);
  if (q.isPending) return <Card size="small" title={t('plans.title')}><Skeleton active /></Card>;
  if (q.isError) return <Card size="small" title={t('plans.title')}><Alert type="error" message={problemMessage(t, q.error)} /></Card>;
  if (!q.data) return <NoPlan projectId={projectId} projectKind={projectKind} canCreate={canCreate} />;
  return <PlanView plan={q.data} />;
}

function NoPlan({ projectId, projectKind, canCreate }: { projectId: string; projectKind?: string; canCreate: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const templates = usePlanTemplates(canCreate);
  const create = useCreatePlan(projectId);
  const [form] = Form.useForm<{ template_id: string; start: Dayjs }>();
  const [key] = useState(newIdempotencyKey);
  const [rest, setRest] = useState<string[]>([]);
  const list = templates.data ?? [];
  const preferred = list.find((x) => x.project_kind === projectKind)?.id;
  return (
    <Card size="small" title={t('plans.title')} data-testid="plan">
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plans.none')} />
      {canCreate && (
        <Form form={form} layout="vertical" style={{ maxWidth: 480, margin: '0 auto' }}
          initialValues={{ start: dayjs() }} key={preferred ?? 'none'}
          onFinish={(v) => { setRest([]); create.mutate({ template_id: v.template_id ?? preferred, start: v.start.format('YYYY-MM-DD'), key }, {
            onSuccess: () => message.success(t('plans.created')),
            onError: (e) => setRest(applyFieldErrors(form, e, t)),
          }); }}>
          <Form.Item name="template_id" label={t('plans.create.template')} initialValue={preferred}
            rules={[{ required: true, message: t('error.field.required') }]}>
            <Select loading={templates.isPending} options={list.map((x) => ({ value: x.id,
              label: `${x.name}（${t(`projects.kind.${x.project_kind}`)} · ${t('plans.template.count', { n: (x.nodes ?? []).length })}）` }))} />
          </Form.Item>
          <Form.Item name="start" label={t('plans.create.start')} extra={t('plans.create.start.help')} rules={[{ required: true, message: t('error.field.required') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          {create.error && !(isApiError(create.error) && create.error.status === 422 && !rest.length) && (
            <Alert type="error" style={{ marginBottom: 12 }} message={rest.length ? rest.join(' ') : problemMessage(t, create.error, { conflict: t('plans.create.exists') })} />
          )}
          <Button type="primary" htmlType="submit" loading={create.isPending}>{t('plans.create')}</Button>
        </Form>
      )}
    </Card>
  );
}

function PlanView({ plan }: { plan: Tagged<Plan> }) {
  const t = useT();
  const me = useUser();
  const narrow = !Grid.useBreakpoint().md;
  const [moving, setMoving] = useState<{ node: PlanNode; move: NodeMove } | null>(null);
  const today = beijingToday();
  const byKey = Object.fromEntries((plan.nodes ?? []).map((n) => [n.key, n]));
  const option = useMemo(() => ganttOption(plan, today, {
    baseline: t('plans.chart.baseline'), forecast: t('plans.chart.forecast'), today: t('plans.chart.today'),
    critical: t('plans.critical'), status: (s) => t(`plans.node.status.${s}`),
  }, narrow), [plan, today, t, narrow]);
  const summary = useMemo(() => JSON.stringify(ganttSummary(plan)), [plan]);
  const staff = me.role !== 'enterprise';
  const late = plan.late_days ?? 0;
  return (
    <Card size="small" title={t('plans.title')} data-testid="plan" extra={<Typography.Text type="secondary">{plan.template_name}</Typography.Text>}>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={[
        { key: 's', label: t('plans.status'), children: <Space size={4}><Tag color={plan.status === 'done' ? 'success' : 'processing'}>{t(`plans.status.${plan.status}`)}</Tag><Light light={plan.light} /></Space> },
        { key: 'b', label: t('plans.baseline_finish'), children: <span data-testid="plan-baseline">{plan.baseline_finish}</span> },
        { key: 'f', label: t('plans.forecast_finish'), children: (
          <Space size={4} wrap>
            <span data-testid="plan-forecast">{plan.forecast_finish}</span>
            <Typography.Text type={late > 0 ? 'danger' : 'success'}>{late > 0 ? t('plans.late', { n: late }) : t('plans.onTime')}</Typography.Text>
          </Space>) },
        { key: 'st', label: t('plans.start'), children: plan.start },
        { key: 'c', label: t('plans.critical'), span: 2, children: (
          <span data-testid="plan-critical">{(plan.critical_path ?? []).map((k) => byKey[k]?.name ?? k).join(' → ') || '—'}</span>) },
      ]} />
      <div data-testid="plan-gantt" data-gantt={summary} style={{ marginTop: 8 }}>
        <Chart option={option} height={Math.max(160, (plan.nodes ?? []).length * 30 + 60)} label={t('plans.chart.label', { name: plan.project_name })} />
      </div>
      <Space size={[12, 4]} wrap style={{ margin: '4px 0 12px' }}>
        {([['baseline', 'plans.key.baseline'], ['done', 'plans.key.done'], ['green', 'plans.key.green'], ['yellow', 'plans.key.yellow'],
          ['red', 'plans.key.red'], ['waiting', 'plans.key.waiting'], ['waived', 'plans.key.waived']] as const).map(([c, k]) => (
          <Space key={c} size={4}><span aria-hidden style={{ display: 'inline-block', width: 14, height: 8, background: colors[c], border: '1px solid #d9d9d9' }} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(k)}</Typography.Text></Space>
        ))}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('plans.key.critical')}</Typography.Text>
      </Space>
      <Table<PlanNode> rowKey="id" size="small" pagination={false} dataSource={(plan.nodes ?? [])} data-testid="plan-nodes"
        scroll={narrow ? undefined : { x: 1000 }}
        onRow={(n) => ({ 'data-testid': `node-${n.key}` } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: t('plans.node.name'), key: 'name', render: (_, n) => (
            <Space direction="vertical" size={0}>
              <Space size={4} wrap>
                <Typography.Text strong>{n.name}</Typography.Text>
                {(plan.critical_path ?? []).includes(n.key) && <Tag color="volcano">{t('plans.critical.short')}</Tag>}
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{n.department_name} · {t('plans.node.days', { n: n.days })}</Typography.Text>
              {narrow && <Space size={4} wrap><span data-testid="node-status"><NodeStatus status={n.status} /></span><DueCell n={n} /></Space>}
              {n.ticket_id && staff && <Link to={`/tickets/${n.ticket_id}`}>{t('plans.node.ticket')}</Link>}
            </Space>) },
          ...(narrow ? [] : [
            { title: t('plans.node.after'), key: 'after', width: 150, render: (_: unknown, n: PlanNode) => (n.after ?? []).map((k) => byKey[k]?.name ?? k).join('、') || '—' },
            { title: t('plans.node.baseline'), key: 'baseline', width: 190, render: (_: unknown, n: PlanNode) => `${n.planned_start} → ${n.planned_finish}` },
            { title: t('plans.node.actual'), key: 'actual', width: 190, render: (_: unknown, n: PlanNode) => (
              <Typography.Text type={n.finished_on ? undefined : 'secondary'}>
                {`${n.started_on ?? n.ready_on ?? n.forecast_start ?? '—'} → ${n.finished_on ?? n.forecast_finish ?? '—'}`}</Typography.Text>) },
            { title: t('plans.node.due'), key: 'due', width: 170, render: (_: unknown, n: PlanNode) => <DueCell n={n} /> },
            { title: t('plans.node.status'), key: 'status', width: 96, render: (_: unknown, n: PlanNode) => <span data-testid="node-status"><NodeStatus status={n.status} /></span> },
          ]),
          { title: t('plans.node.actions'), key: 'actions', width: narrow ? 96 : 200, render: (_, n) => (
            <Space size={4} wrap>
              {(n.actions ?? []).map((m) => (
                <Button key={m} size="small" type={m === 'finish' ? 'primary' : 'default'} danger={m === 'block' || m === 'waive'}
                  onClick={() => setMoving({ node: n, move: m as NodeMove })}>{t(`plans.move.${m}`)}</Button>
              ))}
            </Space>) },
        ]} />
      {staff && <PlanEvents projectId={plan.project_id} version={plan.version} />}
      {moving && <NodeDialog plan={plan} nodeId={moving.node.id} move={moving.move} onClose={() => setMoving(null)} />}
    </Card>
  );
}

function DueCell({ n }: { n: PlanNode }) {
  const t = useT();
  if (n.status === 'done' || n.status === 'waived') return <Typography.Text type="secondary">{n.finished_on ? t('plans.node.finishedOn', { date: n.finished_on }) : '—'}</Typography.Text>;
  if (!n.due_on) return <Typography.Text type="secondary">{t('plans.node.notReady')}</Typography.Text>;
  return <Space size={4}><Light light={n.light} /><span>{n.due_on}</span></Space>;
}

function PlanEvents({ projectId, version }: { projectId: string; version: number }) {
  const t = useT();
  const q = usePlanEvents(projectId);
  const events = [...(q.data ?? [])].reverse().slice(0, 8);
  if (!events.length) return null;
  return (
    <div style={{ marginTop: 16 }} data-testid="plan-events" data-version={version}>
      <Typography.Text strong>{t('plans.events')}</Typography.Text>
      <Timeline style={{ marginTop: 8 }} items={events.map((e) => ({
        key: e.id,
        color: e.action === 'block' ? 'red' : e.action === 'finish' ? 'green' : 'blue',
        content: (
          <div>
            <Typography.Text>{t(`plans.event.${e.action}`)}{e.node_name ? ` · ${e.node_name}` : ''}</Typography.Text>
            <Typography.Text type="secondary"> · {e.actor_name} · {formatDateTime(e.at)}</Typography.Text>
            {e.body && <div style={{ whiteSpace: 'pre-wrap' }}>{e.body}</div>}
          </div>
        ),
      }))} />
    </div>
  );
}
