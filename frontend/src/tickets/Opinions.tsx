// Co-handling (主办/协办) on the ticket page: each co-handling department's opinion — owed with its
// deadline and light, given with its text, or waived with the dispatcher's reason. An officer of
// an owing department gives its opinion here; the dispatcher waives an owed one with a reason
// (a ticket move with If-Match: a 412 keeps the reason and offers a retry on the fresh ticket).
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { applyFieldErrors, isApiError, problemMessage } from '../api/problem';
import type { Tagged } from '../api/query';
import { Light } from '../components/Light';
import { formatDateTime } from '../lib/format';
import { useT, type TFunction } from '../i18n';
import { useUser } from '../shell/session';
import { clockWords, type Calendar } from './clock';
import { useCalendar, useGiveOpinion, useMove, useOpinions, type Opinion } from './hooks';
import { canGiveOpinion, canWaiveOpinion, type Ticket } from './rules';

const statusColor: Record<Opinion['status'], string> = { owed: 'orange', given: 'green', waived: 'default' };

/** owedWords names the departments whose opinion is owed, each with its deadline, in one sentence. */
export function owedWords(t: TFunction, owed: Pick<Opinion, 'department_name' | 'due_at'>[]): string {
  return owed.map((o) => t('tickets.opinions.owedBy', { name: o.department_name, due: formatDateTime(o.due_at) })).join(t('tickets.opinions.sep'));
}

function DueText({ o, cal }: { o: Opinion; cal: Calendar }) {
  const t = useT();
  if (o.status !== 'owed') return null;
  const running = o.light !== 'none';
  return (
    <Space size={4} wrap>
      {running && <Light light={o.light} />}
      <Typography.Text type={o.light === 'red' ? 'danger' : 'secondary'}>
        {t('tickets.opinions.due', { due: formatDateTime(o.due_at) })}
        {running && ` · ${clockWords(t, o.due_at, Date.now(), cal)}`}
      </Typography.Text>
    </Space>
  );
}

export function OpinionsCard({ ticket }: { ticket: Tagged<Ticket> }) {
  const t = useT();
  const me = useUser();
  const cal = useCalendar();
  const q = useOpinions(ticket.id, (ticket.co_department_ids ?? []).length > 0);
  const [waiving, setWaiving] = useState<Opinion | null>(null);
  if (!(ticket.co_department_ids ?? []).length) return null;
  const list = q.data ?? [];
  const owed = list.filter((o) => o.status === 'owed').length;
  return (
    <Card size="small" title={t('tickets.opinions')} data-testid="opinions"
      extra={<Typography.Text type="secondary">{t('tickets.opinions.summary', { lead: ticket.department_name || '—', n: owed })}</Typography.Text>}>
      {q.isError && <Alert type="error" message={problemMessage(t, q.error)} />}
      <List dataSource={list} loading={q.isPending} rowKey="department_id"
        renderItem={(o) => (
          <List.Item data-testid={`opinion-${o.department_id}`}
            actions={canWaiveOpinion(me, ticket, o) ? [
              <Button key="w" size="small" danger onClick={() => setWaiving(o)}>{t('tickets.opinions.waive')}</Button>] : undefined}>
            <div style={{ width: '100%' }}>
              <Space wrap size={6}>
                <Typography.Text strong>{o.department_name}</Typography.Text>
                <Tag color={statusColor[o.status]}>{t(`tickets.opinions.status.${o.status}`)}</Tag>
                <DueText o={o} cal={cal} />
                {o.at && <Typography.Text type="secondary">{t(`tickets.opinions.at.${o.status}`, { at: formatDateTime(o.at) })}</Typography.Text>}
              </Space>
              {o.body && (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>
                  {o.status === 'waived' ? t('tickets.opinions.waivedBecause', { reason: o.body }) : o.body}
                </Typography.Paragraph>
              )}
              {canGiveOpinion(me, ticket, o) && <GiveOpinion ticketId={ticket.id} />}
            </div>
          </List.Item>
        )} />
      <WaiveDialog ticket={ticket} opinion={waiving} onClose={() => setWaiving(null)} />
    </Card>
  );
}

function GiveOpinion({ ticketId }: { ticketId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const give = useGiveOpinion(ticketId);
  const [form] = Form.useForm();
  const [rest, setRest] = useState<string[]>([]);
  return (
    <Form form={form} layout="vertical" style={{ marginTop: 8 }}
      onFinish={(v) => { setRest([]); give.mutate(v.body, {
        onSuccess: () => { form.resetFields(); message.success(t('tickets.opinions.given')); },
        onError: (e) => setRest(applyFieldErrors(form, e, t)),
      }); }}>
      <Form.Item name="body" label={t('tickets.opinions.body')} extra={t('tickets.opinions.body.help')}
        rules={[{ required: true, whitespace: true, message: t('tickets.field.required') }]}>
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      {give.error && !(isApiError(give.error) && give.error.status === 422 && !rest.length) && (
        <Alert type="error" style={{ marginBottom: 8 }} message={rest.length ? rest.join(' ') : problemMessage(t, give.error)} />
      )}
      <Button htmlType="submit" type="primary" loading={give.isPending}>{t('tickets.opinions.give')}</Button>
    </Form>
  );
}

/** WaiveDialog: the dispatcher releases one owed opinion, with a reason. */
function WaiveDialog({ ticket, opinion, onClose }: { ticket: Tagged<Ticket>; opinion: Opinion | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const m = useMove(ticket);
  const [form] = Form.useForm();
  const [stale, setStale] = useState(false);
  const submit = async () => {
    if (!opinion) return;
    const { reason } = await form.validateFields();
    setStale(false);
    m.mutate({ action: 'waive-opinion', body: { department_id: opinion.department_id, reason } }, {
      onSuccess: () => {
        form.resetFields();
        onClose();
        message.success(t('tickets.opinions.waived', { name: opinion.department_name }));
      },
      onError: (e) => {
        if (isApiError(e) && e.status === 412) setStale(true);
        else applyFieldErrors(form, e, t);
      },
    });
  };
  const close = () => { setStale(false); m.reset(); onClose(); };
  const shown = m.error && !stale && !(isApiError(m.error) && m.error.status === 422);
  return (
    <Modal open={!!opinion} onCancel={close} forceRender
      title={opinion ? t('tickets.opinions.waiveTitle', { name: opinion.department_name, number: ticket.number }) : ''}
      footer={[
        <Button key="c" onClick={close}>{t('common.cancel')}</Button>,
        <Button key="ok" type="primary" danger loading={m.isPending} onClick={submit}>
          {stale ? t('tickets.stale.retry') : t('tickets.opinions.waive')}</Button>,
      ]}>
      {stale && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('tickets.stale')} description={t('tickets.stale.detail')} />}
      {shown && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={problemMessage(t, m.error)} />}
      <Typography.Paragraph type="secondary">{t('tickets.opinions.waiveHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve>
        <Form.Item name="reason" label={t('tickets.opinions.waiveReason')} rules={[{ required: true, whitespace: true, message: t('tickets.field.required') }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
