// ActionDialog: one ticket action in a dialog with its required fields. A 422 puts the server's
// field errors beside the fields; a 412 says "此诉求已被他人更新", shows the fresh state and offers a
// one-click retry on it, keeping what the user typed (the form is never reset on an error).
import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Descriptions, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { applyFieldErrors, isApiError, problemMessage } from '../api/problem';
import type { Tagged } from '../api/query';
import { useT } from '../i18n';
import { useCategories, useDepartments, useMove, useOpinions, type MoveInput } from './hooks';
import { owedWords } from './Opinions';
import type { Ticket } from './rules';
import { ClockText, StatusTag } from './TicketTable';

type Props = { ticket: Tagged<Ticket>; action: MoveInput['action'] | null; onClose: () => void; onDone: (a: MoveInput['action']) => void };

export function ActionDialog({ ticket, action, onClose, onDone }: Props) {
  const t = useT();
  const [form] = Form.useForm();
  const m = useMove(ticket);
  const [stale, setStale] = useState(false);
  const [rest, setRest] = useState<string[]>([]);
  const departments = useDepartments(action === 'assign').data ?? [];
  const categories = useCategories().data ?? [];
  const defaultDept = categories.find((c) => c.id === ticket.category_id)?.default_department_id ?? undefined;
  const lead = Form.useWatch('department_id', form) as string | undefined;
  // Resolving while a co-handling department owes its opinion is refused (409 opinions_pending):
  // the dialog says so before, and names the departments if the server refuses.
  const opinions = useOpinions(ticket.id, action === 'resolve' && (ticket.co_department_ids ?? []).length > 0).data ?? [];
  const owed = opinions.filter((o) => o.status === 'owed');
  const pending = isApiError(m.error) && m.error.code === 'opinions_pending';

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    setStale(false);
    setRest([]);
    m.reset();
    if (action === 'assign') form.setFieldsValue({ department_id: ticket.department_id ?? defaultDept, co_department_ids: ticket.co_department_ids ?? [] });
    if (action === 'accept') form.setFieldsValue({ urgent: ticket.priority === 'urgent' || ticket.urgency_requested });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [action]);
  useEffect(() => {
    if (action === 'assign' && !form.getFieldValue('department_id') && defaultDept) form.setFieldsValue({ department_id: defaultDept });
  }, [action, defaultDept, form]);

  const submit = async () => {
    if (!action) return;
    const body = await form.validateFields();
    setStale(false);
    setRest([]);
    m.mutate({ action, body }, {
      onSuccess: () => onDone(action),
      onError: (e) => {
        if (isApiError(e) && e.status === 412) setStale(true);
        else setRest(applyFieldErrors(form, e, t));
      },
    });
  };

  const required = [{ required: true, whitespace: true, message: t('tickets.field.required') }];
  const label = action ? t(`tickets.action.${action}`) : '';
  const other = m.error && !stale && !(isApiError(m.error) && m.error.status === 422 && rest.length === 0 && m.error.problem.errors?.length);
  return (
    <Modal open={!!action} title={`${label} · ${ticket.number}`} onCancel={onClose} destroyOnHidden={false} forceRender
      footer={[
        <Button key="cancel" onClick={onClose}>{t('common.cancel')}</Button>,
        stale
          ? <Button key="retry" type="primary" danger loading={m.isPending} onClick={submit}>{t('tickets.stale.retry')}</Button>
          : <Button key="ok" type="primary" loading={m.isPending} onClick={submit}>{label}</Button>,
      ]}>
      {stale && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('tickets.stale')}
          description={<>
            <div>{t('tickets.stale.detail')}</div>
            <Descriptions size="small" column={1} style={{ marginTop: 8 }} items={[
              { key: 's', label: t('tickets.col.status'), children: <StatusTag status={ticket.status} /> },
              { key: 'c', label: t('tickets.col.clock'), children: <ClockText tk={ticket} /> },
              ...(ticket.extension ? [{ key: 'e', label: t('tickets.action.request-extension'),
                children: t('tickets.detail.extension', { n: ticket.extension.days, reason: ticket.extension.reason }) }] : []),
            ]} />
          </>} />
      )}
      {other && !pending && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={problemMessage(t, m.error)} />}
      {pending && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="opinions-pending" message={t('tickets.opinions.pending.title')}
          description={owed.length ? t('tickets.opinions.pending', { names: owedWords(t, owed) }) : t('error.opinions_pending')} />
      )}
      {action === 'resolve' && !pending && owed.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('tickets.opinions.beforeResolve', { names: owedWords(t, owed) })} />
      )}
      {rest.map((r) => <Alert key={r} type="error" style={{ marginBottom: 8 }} message={r} />)}
      <Form form={form} layout="vertical" preserve>
        {action === 'accept' && (<>
          {ticket.urgency_requested && <Alert type="info" style={{ marginBottom: 12 }} message={t('tickets.field.urgentRequested')} />}
          <Form.Item name="urgent" valuePropName="checked"><Checkbox>{t('tickets.field.urgent')}</Checkbox></Form.Item>
        </>)}
        {(action === 'reject' || action === 'deny-extension') && (
          <Form.Item name="reason" label={t('tickets.field.reason')} rules={required}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>
        )}
        {action === 'return' && (
          <Form.Item name="reason" label={t('tickets.field.returnReason')} extra={t('tickets.field.returnReason.help')} rules={required}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        )}
        {action === 'assign' && (
          <Form.Item name="department_id" label={t('tickets.field.department')} rules={[{ required: true, message: t('tickets.field.required') }]}>
            <Select showSearch optionFilterProp="label" options={departments.filter((d) => d.kind !== 'bureau').map((d) => ({
              value: d.id, label: d.id === defaultDept ? `${d.name} ${t('tickets.field.department.default')}` : d.name }))}
              onChange={(v: string) => form.setFieldValue('co_department_ids', ((form.getFieldValue('co_department_ids') ?? []) as string[]).filter((d) => d !== v))} />
          </Form.Item>
        )}
        {action === 'assign' && (
          <Form.Item name="co_department_ids" label={t('tickets.field.coDepartments')} extra={t('tickets.field.coDepartments.help')}>
            <Select mode="multiple" allowClear showSearch optionFilterProp="label" placeholder={t('tickets.field.coDepartments.none')}
              options={departments.filter((d) => d.kind !== 'bureau' && d.id !== lead).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        )}
        {action === 'request-extension' && (<>
          <Form.Item name="days" label={t('tickets.field.days')} rules={[{ required: true, message: t('tickets.field.required') }]}>
            <InputNumber min={1} max={30} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="reason" label={t('tickets.field.reason')} rules={required}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>
        </>)}
        {action === 'resolve' && (
          <Form.Item name="resolution" label={t('tickets.field.resolution')} rules={required}><Input.TextArea rows={4} maxLength={5000} /></Form.Item>
        )}
        {action === 'sign' && <Typography.Paragraph>{t('tickets.confirm.sign')}</Typography.Paragraph>}
        {action === 'approve-extension' && ticket.extension && (
          <Typography.Paragraph>{t('tickets.confirm.approve', { n: ticket.extension.days })}<br />
            {t('tickets.detail.extension', { n: ticket.extension.days, reason: ticket.extension.reason })}</Typography.Paragraph>
        )}
      </Form>
    </Modal>
  );
}
