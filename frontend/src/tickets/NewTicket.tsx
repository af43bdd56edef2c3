// A new ticket, for staff (POST /tickets with an Idempotency-Key: a double click lands once).
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Select, Switch, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { EnterprisePicker } from '../enterprises/EnterprisePicker';
import { applyFieldErrors, problemMessage } from '../api/problem';
import { useT } from '../i18n';
import { useUser } from '../shell/session';
import { newIdempotencyKey, useCategories, useCreateTicket } from './hooks';

export default function NewTicket() {
  const t = useT();
  const me = useUser();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [key] = useState(newIdempotencyKey);
  const [rest, setRest] = useState<string[]>([]);
  const categories = useCategories().data ?? [];
  const create = useCreateTicket();
  const required = [{ required: true, whitespace: true, message: t('tickets.field.required') }];
  return (
    <Card style={{ maxWidth: 720 }}>
      <Typography.Title level={3}>{t('tickets.new')}</Typography.Title>
      <Form form={form} layout="vertical" onFinish={(v) => {
        setRest([]);
        create.mutate({ key, body: { enterprise_id: v.enterprise_id, category_id: v.category_id, title: v.title.trim(),
          description: v.description.trim(), priority: v.urgent ? 'urgent' : 'normal', source: v.source } }, {
          onSuccess: (tk) => { message.success(t('tickets.newTicket.created', { number: tk.number })); nav(`/tickets/${tk.id}`); },
          onError: (e) => setRest(applyFieldErrors(form, e, t)),
        });
      }}>
        <Form.Item name="enterprise_id" label={t('tickets.newTicket.enterprise')} rules={[{ required: true, message: t('tickets.field.required') }]}>
          <EnterprisePicker />
        </Form.Item>
        <Form.Item name="category_id" label={t('tickets.newTicket.category')} rules={[{ required: true, message: t('tickets.field.required') }]}>
          <Select options={categories.filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        {me.role === 'dispatcher' && (
          <Form.Item name="source" label={t('tickets.newTicket.source')} initialValue="hotline">
            <Select options={(['hotline', 'leader'] as const).map((s) => ({ value: s, label: t(`tickets.source.${s}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('tickets.newTicket.title')} rules={required}><Input maxLength={200} /></Form.Item>
        <Form.Item name="description" label={t('tickets.newTicket.description')} rules={required}><Input.TextArea rows={5} maxLength={5000} /></Form.Item>
        <Form.Item name="urgent" label={t('tickets.newTicket.urgent')} valuePropName="checked"><Switch /></Form.Item>
        {rest.map((r) => <Alert key={r} type="error" message={r} style={{ marginBottom: 8 }} />)}
        {create.error && !rest.length && <Alert type="error" message={problemMessage(t, create.error)} style={{ marginBottom: 8 }} />}
        <Button type="primary" htmlType="submit" loading={create.isPending}>{t('common.submit')}</Button>
      </Form>
    </Card>
  );
}
