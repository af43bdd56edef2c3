// NodeDialog: one move on a plan node with its fields — finish (date and note), block (the reason,
// and the department that must clear it: a ticket is raised), unblock (how it was cleared), waive
// (the dispatcher's reason), start (a confirmation). A 422 puts the server's words beside the
// fields; a 412 (someone changed the plan meanwhile) keeps what was typed, shows the node as it now
// stands and offers the move again on the fresh plan — or says it is no longer possible.
import { useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Form, Input, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { applyFieldErrors, isApiError, problemMessage } from '../api/problem';
import { unwrap, type Tagged } from '../api/query';
import { Light } from '../components/Light';
import { useT } from '../i18n';
import { useNodeMove, type NodeMove, type Plan } from './hooks';
import { NodeStatus } from './NodeStatus';

type Values = { date?: Dayjs; note?: string; reason?: string; department_id?: string };

const useDepartments = (enabled: boolean) => useQuery({
  enabled,
  queryKey: ['departments'],
  staleTime: 10 * 60_000,
  queryFn: async () => (await unwrap(api.GET('/api/v1/departments', { params: { query: { limit: 200 } } }))).items ?? [],
});

export function NodeDialog({ plan, nodeId, move, onClose }: { plan: Tagged<Plan>; nodeId: string; move: NodeMove; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const m = useNodeMove(plan);
  const [stale, setStale] = useState(false);
  const [rest, setRest] = useState<string[]>([]);
  const departments = useDepartments(move === 'block').data ?? [];
  const node = (plan.nodes ?? []).find((n) => n.id === nodeId);
  const stillAllowed = !!node?.actions?.includes(move);
  const label = t(`plans.move.${move}`);

  const submit = async () => {
    const v = await form.validateFields();
    setStale(false);
    setRest([]);
    m.mutate({ move, node: nodeId, body: { date: v.date?.format('YYYY-MM-DD'), note: v.note?.trim(), reason: v.reason, department_id: v.department_id } }, {
      onSuccess: (fresh) => {
        const after = (fresh.nodes ?? []).find((n) => n.id === nodeId);
        message.success(t('plans.moved', { move: label, name: node?.name ?? '' }));
        if (move === 'block' && after?.ticket_id) message.info(t('plans.blocked.ticket'));
        onClose();
      },
      onError: (e) => {
        if (isApiError(e) && e.status === 412) setStale(true);
        else setRest(applyFieldErrors(form, e, t));
      },
    });
  };
  const required = [{ required: true, whitespace: true, message: t('error.field.required') }];
  const other = m.error && !stale && !(isApiError(m.error) && m.error.status === 422 && rest.length === 0 && m.error.problem.errors?.length);
  return (
    <Modal open title={`${label} · ${node?.name ?? ''}`} onCancel={onClose} destroyOnHidden
      footer={[
        <Button key="c" onClick={onClose}>{t('common.cancel')}</Button>,
        <Button key="ok" type="primary" danger={move === 'block' || move === 'waive'} loading={m.isPending} disabled={stale && !stillAllowed} onClick={submit}>
          {stale ? t('plans.stale.retry') : label}</Button>,
      ]}>
      {stale && node && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('plans.stale')}
          description={<>
            <div>{stillAllowed ? t('plans.stale.detail') : t('plans.stale.gone', { move: label })}</div>
            <Descriptions size="small" column={1} style={{ marginTop: 8 }} items={[
              { key: 's', label: t('plans.node.status'), children: <NodeStatus status={node.status} /> },
              { key: 'd', label: t('plans.node.due'), children: node.due_on ? <><Light light={node.light} /> {node.due_on}</> : '—' },
              { key: 'f', label: t('plans.forecast_finish'), children: plan.forecast_finish },
            ]} />
          </>} />
      )}
      {other && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={problemMessage(t, m.error)} />}
      {rest.map((r) => <Alert key={r} type="error" style={{ marginBottom: 8 }} title={r} />)}
      {node && <Typography.Paragraph type="secondary">{t('plans.dialog.node', { dept: node.department_name, days: node.days, due: node.due_on ?? '—' })}</Typography.Paragraph>}
      <Form form={form} layout="vertical" preserve initialValues={{ date: dayjs() }}>
        {move === 'start' && <Typography.Paragraph>{t('plans.confirm.start')}</Typography.Paragraph>}
        {move === 'finish' && (<>
          <Form.Item name="date" label={t('plans.field.finishDate')} extra={node?.ready_on ? t('plans.field.finishDate.help', { date: node.ready_on }) : undefined}
            rules={[{ required: true, message: t('error.field.required') }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs().endOf('day')) || (!!node?.ready_on && d.isBefore(dayjs(node.ready_on), 'day'))} />
          </Form.Item>
          <Form.Item name="note" label={t('plans.field.note')} extra={t('plans.field.note.help')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        </>)}
        {move === 'block' && (<>
          <Form.Item name="reason" label={t('plans.field.blockReason')} extra={t('plans.field.blockReason.help')} rules={required}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          <Form.Item name="department_id" label={t('plans.field.blockDepartment')} extra={t('plans.field.blockDepartment.help', { dept: node?.department_name ?? '' })}>
            <Select allowClear showSearch optionFilterProp="label" placeholder={node?.department_name}
              options={departments.filter((d) => d.kind !== 'bureau').map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        </>)}
        {move === 'unblock' && (
          <Form.Item name="note" label={t('plans.field.unblockNote')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        )}
        {move === 'waive' && (
          <Form.Item name="reason" label={t('plans.field.waiveReason')} extra={t('plans.field.waiveReason.help')} rules={required}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
