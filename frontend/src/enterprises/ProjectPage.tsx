// The project page: stage Steps with the move dialog (date, note; a reason to go back or to
// 停缓建/终止), the monthly investment entry, the progress light (序时进度).
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Row, Select, Table, Timeline, Typography, message } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { applyFieldErrors, isApiError, problemMessage } from '../api/problem';
import { Chart } from '../components/Chart';
import { EnterpriseData } from '../components/EnterpriseData';
import { Light } from '../components/Light';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { formatDate } from '../lib/format';
import { useUser } from '../shell/session';
import { PlanOnly, PlanSection } from '../plans';
import { needsReason, offRoad, stages, useInvestments, useMoveStage, useProject, usePutInvestment, useStages, type Project, type Stage } from './hooks';
import { StageSteps } from './StageSteps';

export default function ProjectPage() {
  const { id = '' } = useParams();
  const t = useT();
  const user = useUser();
  const project = useProject(id);
  const history = useStages(id);
  const investments = useInvestments(id);
  const [moving, setMoving] = useState(false);
  const mayChange = ['steward', 'dispatcher'].includes(user.role);
  const p = project.data;
  const lastOnRoad = (history.data ?? []).filter((h) => stages.includes(h.to as Stage)).at(-1)?.to as Stage | undefined;

  const option = useMemo(() => {
    const months = [...(investments.data ?? [])].sort((a, b) => a.month.localeCompare(b.month));
    let sum = 0;
    const cumulative = months.map((m) => (sum += m.amount));
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('projects.completed.monthly'), t('projects.completed.cumulative'), t('projects.planned')] },
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: { type: 'value', name: t('projects.unit') },
      series: [
        { name: t('projects.completed.monthly'), type: 'bar', data: months.map((m) => m.amount), itemStyle: { color: '#8fb4f5' } },
        { name: t('projects.completed.cumulative'), type: 'line', data: cumulative, itemStyle: { color: '#1458d6' } },
        { name: t('projects.planned'), type: 'line', data: months.map(() => p?.planned_investment ?? 0), lineStyle: { type: 'dashed' }, itemStyle: { color: '#ad6800' } },
      ],
    };
  }, [investments.data, p?.planned_investment, t]);

  // An officer of a department with a node in the plan sees the plan, not the project.
  if (user.role === 'officer' && isApiError(project.error) && [403, 404].includes(project.error.status)) {
    return <EnterpriseData><PlanOnly projectId={id} /></EnterpriseData>;
  }
  return (
    <EnterpriseData>
      <PageState q={project}>
        {p && (
          <>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 12 }}>
              <Typography.Title level={3} style={{ margin: 0 }}>{p.name}</Typography.Title>
              <Light light={p.progress?.light} />
              {mayChange && <Button type="primary" style={{ marginLeft: 'auto' }} onClick={() => setMoving(true)}>{t('projects.move')}</Button>}
            </div>
            <Card size="small" style={{ marginBottom: 16 }}>
              <StageSteps stage={p.stage} lastOnRoad={lastOnRoad} size="default" />
              <Typography.Text type="secondary">{t('projects.since', { date: formatDate(p.stage_since) })}</Typography.Text>
            </Card>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('projects.profile')}>
                  <Descriptions column={1} size="small" items={[
                    { key: 'e', label: t('visits.enterprise'), children: <Link to={`/enterprises/${p.enterprise_id}`}>{p.enterprise_name}</Link> },
                    { key: 'k', label: t('projects.kind'), children: t(`projects.kind.${p.kind}`) },
                    { key: 'l', label: t('enterprises.key_level'), children: t(`enterprises.key_level.${p.key_level}`) },
                    { key: 'loc', label: t('projects.location'), children: p.location },
                    { key: 'ps', label: t('projects.planned_start'), children: formatDate(p.planned_start) },
                    { key: 'pc', label: t('projects.planned_completion'), children: formatDate(p.planned_completion) },
                    { key: 'pi', label: t('projects.planned'), children: `${p.planned_investment} ${t('projects.unit')}` },
                    { key: 'ci', label: t('projects.completed'), children: `${p.completed_investment} ${t('projects.unit')}` },
                    { key: 'pr', label: t('projects.progress'), children: p.progress ? t('projects.progress.text', { actual: p.progress.actual.toFixed(1), expected: p.progress.expected.toFixed(1) }) : '—' },
                  ]} />
                </Card>
                <Card size="small" title={t('projects.history')} style={{ marginTop: 16 }}>
                  <PageState q={history}>
                    <Timeline items={[...(history.data ?? [])].reverse().map((h) => ({
                      color: offRoad.includes(h.to as Stage) ? 'red' : 'blue',
                      content: <>
                        <div>{h.from ? `${t(`projects.stage.${h.from}`)} → ` : ''}{t(`projects.stage.${h.to}`)}</div>
                        <Typography.Text type="secondary">{formatDate(h.on)} · {h.by_name}{h.note ? ` · ${h.note}` : ''}{h.reason ? ` · ${t('projects.reason')}: ${h.reason}` : ''}</Typography.Text>
                      </>,
                    }))} />
                  </PageState>
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('projects.investment')}>
                  {mayChange && <InvestmentEntry projectId={p.id} />}
                  <Chart option={option} label={t('projects.investment')} />
                  <Table rowKey="month" size="small" pagination={false} dataSource={[...(investments.data ?? [])].sort((a, b) => b.month.localeCompare(a.month))}
                    locale={{ emptyText: t('projects.investment.none') }}
                    columns={[{ title: t('projects.month'), dataIndex: 'month' }, { title: `${t('projects.amount')}（${t('projects.unit')}）`, dataIndex: 'amount' }]} />
                </Card>
              </Col>
            </Row>
            <div style={{ marginTop: 16 }}>
              <PlanSection projectId={p.id} projectKind={p.kind} canCreate={mayChange} />
            </div>
            {moving && <MoveDialog project={p} onClose={() => setMoving(false)} />}
          </>
        )}
      </PageState>
    </EnterpriseData>
  );
}

type MoveValues = { stage: Stage; date: Dayjs; note?: string; reason?: string };

/** MoveDialog moves the stage. A 412 (someone moved it meanwhile) keeps what was typed and offers the fresh state. */
function MoveDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const [form] = Form.useForm<MoveValues>();
  const move = useMoveStage(project);
  const [error, setError] = useState<string>();
  const [stale, setStale] = useState(false);
  const to = Form.useWatch('stage', form);
  const reasonNeeded = !!to && needsReason(project.stage, to);

  async function submit(v: MoveValues) {
    setError(undefined);
    try {
      await move.mutateAsync({ stage: v.stage, date: v.date.format('YYYY-MM-DD'), note: v.note?.trim() || undefined, reason: v.reason?.trim() || undefined });
      message.success(t('projects.moved'));
      onClose();
    } catch (e) {
      if (isApiError(e) && e.code === 'version_mismatch') {
        setStale(true);
        return;
      }
      const rest = applyFieldErrors(form, e, t);
      setError([problemMessage(t, e), ...rest].join(' '));
    }
  }

  async function reload() {
    await qc.invalidateQueries({ queryKey: ['project', project.id] });
    setStale(false);
  }

  return (
    <Modal open title={t('projects.move')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={move.isPending} destroyOnHidden>
      {stale && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('projects.stale')}
        action={<Button size="small" onClick={reload}>{t('error.reload')}</Button>} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ date: dayjs() }}>
        <Form.Item name="stage" label={t('projects.move.to')} rules={[{ required: true, message: t('error.field.required') }]}>
          <Select options={[...stages, ...offRoad].filter((s) => s !== project.stage).map((s) => ({ value: s, label: t(`projects.stage.${s}`) }))} />
        </Form.Item>
        <Form.Item name="date" label={t('projects.move.date')} rules={[{ required: true, message: t('error.field.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs().endOf('day'))} />
        </Form.Item>
        {reasonNeeded && (
          <Form.Item name="reason" label={t('projects.reason')} extra={t('projects.reason.why')} rules={[{ required: true, whitespace: true, message: t('projects.reason.required') }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('projects.note')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function InvestmentEntry({ projectId }: { projectId: string }) {
  const t = useT();
  const [form] = Form.useForm<{ month: Dayjs; amount: number }>();
  const put = usePutInvestment(projectId);
  return (
    <Form form={form} layout="inline" style={{ marginBottom: 12, rowGap: 8 }} initialValues={{ month: dayjs().subtract(1, 'month') }}
      onFinish={async (v) => {
        try {
          await put.mutateAsync({ month: v.month.format('YYYY-MM'), amount: v.amount });
          message.success(t('projects.investment.saved'));
          form.resetFields(['amount']);
        } catch (e) {
          const rest = applyFieldErrors(form, e, t);
          message.error([problemMessage(t, e), ...rest].join(' '));
        }
      }}>
      <Form.Item name="month" label={t('projects.month')} rules={[{ required: true, message: t('error.field.required') }]}>
        <DatePicker picker="month" disabledDate={(d) => d.isAfter(dayjs())} />
      </Form.Item>
      <Form.Item name="amount" label={t('projects.amount')} rules={[{ required: true, message: t('error.field.required') }]}>
        <InputNumber min={0} step={10} addonAfter={t('projects.unit')} style={{ width: 160 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={put.isPending}>{t('common.save')}</Button>
    </Form>
  );
}

