// Webhooks (admin): where notifications are posted (DingTalk / WeCom robots, signed JSON), a test
// post to check a receiver, and the link to the job queue (River UI) that delivers them.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography, message } from 'antd';
import { applyFieldErrors, problemMessage } from '../api/problem';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';
import { useCreateWebhook, useDeleteWebhook, useTestWebhook, useWebhooks, type Webhook } from './hooks';

const formats: Webhook['format'][] = ['dingtalk', 'wecom', 'json'];
const kinds = ['ticket_warn', 'ticket_due', 'ticket_escalate', 'ticket_assigned', 'ticket_instruction', 'ticket_opinion',
  'rating_reminder', 'visit_due', 'leader_digest', 'project_red'] as const;
type Values = { name: string; format: Webhook['format']; url: string; secret?: string; kinds?: (typeof kinds)[number][] };
type Outcome = { delivered: boolean; error: string; at: string };

export default function Webhooks() {
  const t = useT();
  const hooks = useWebhooks();
  const del = useDeleteWebhook();
  const test = useTestWebhook();
  const [creating, setCreating] = useState(false);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [testing, setTesting] = useState<string>();
  const send = (w: Webhook) => {
    setTesting(w.id);
    test.mutate(w.id, {
      onSuccess: (o) => setOutcomes((x) => ({ ...x, [w.id]: o })),
      onError: (e) => message.error(problemMessage(t, e)),
      onSettled: () => setTesting(undefined),
    });
  };
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('admin.webhooks.title')}</Typography.Title>
        <Space>
          <Typography.Link href="/admin/river/" target="_blank">{t('admin.river')}</Typography.Link>
          <Button type="primary" onClick={() => setCreating(true)}>{t('admin.webhooks.new')}</Button>
        </Space>
      </Space>
      <Typography.Paragraph type="secondary">{t('admin.webhooks.intro')}</Typography.Paragraph>
      <PageState q={hooks}>
        <Table<Webhook>
          rowKey="id" dataSource={hooks.data?.items ?? []} pagination={false} scroll={{ x: true }} locale={{ emptyText: t('admin.webhooks.none') }}
          columns={[
            { title: t('admin.webhooks.name'), dataIndex: 'name' },
            { title: t('admin.webhooks.format'), dataIndex: 'format', render: (f) => t(`admin.webhooks.format.${f}`) },
            { title: t('admin.webhooks.url'), dataIndex: 'url', render: (u) => <Typography.Text code style={{ wordBreak: 'break-all' }}>{u}</Typography.Text> },
            { title: t('admin.webhooks.kinds'), dataIndex: 'kinds', render: (ks: string[]) => (ks.length ? ks.map((k) => <Tag key={k}>{t(`admin.webhooks.kind.${k}`)}</Tag>) : t('admin.webhooks.kinds.all')) },
            { title: t('admin.webhooks.created'), dataIndex: 'created_at', render: formatDateTime },
            {
              title: t('admin.webhooks.test'), key: 'test', render: (_, w) => {
                const o = outcomes[w.id];
                return (
                  <Space direction="vertical" size={4}>
                    <Button size="small" loading={testing === w.id} onClick={() => send(w)} aria-label={`${t('admin.webhooks.test')} ${w.name}`}>{t('admin.webhooks.test')}</Button>
                    {o && (o.delivered
                      ? <Tag color="green" role="status">{t('admin.webhooks.test.ok', { at: formatDateTime(o.at) })}</Tag>
                      : <Typography.Text type="danger" role="status">{t('admin.webhooks.test.failed', { why: o.error })}</Typography.Text>)}
                  </Space>
                );
              },
            },
            {
              title: t('admin.actions'), key: 'a', render: (_, w) => (
                <Popconfirm title={t('admin.webhooks.delete.confirm')} okText={t('common.confirm')} cancelText={t('common.cancel')}
                  onConfirm={() => del.mutate(w.id, { onError: (e) => message.error(problemMessage(t, e)) })}>
                  <Button size="small" danger aria-label={`${t('common.delete')} ${w.name}`}>{t('common.delete')}</Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </PageState>
      <Card size="small" style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('admin.webhooks.signature')}</Typography.Text>
      </Card>
      <NewWebhook open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function NewWebhook({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const format = Form.useWatch('format', form);
  const create = useCreateWebhook();
  const [error, setError] = useState<string>();
  return (
    <Modal open={open} title={t('admin.webhooks.new')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')}
      cancelText={t('common.cancel')} confirmLoading={create.isPending} forceRender>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ format: 'json' }} onFinish={(v) => create.mutate(v, {
        onSuccess: () => { message.success(t('admin.saved')); form.resetFields(); setError(undefined); onClose(); },
        onError: (e) => setError([problemMessage(t, e), ...applyFieldErrors(form, e, t)].join(' ')),
      })}>
        <Form.Item name="name" label={t('admin.webhooks.name')} rules={[{ required: true, message: t('error.field.required') }]}><Input /></Form.Item>
        <Form.Item name="format" label={t('admin.webhooks.format')}>
          <Select options={formats.map((f) => ({ value: f, label: t(`admin.webhooks.format.${f}`) }))} />
        </Form.Item>
        <Form.Item name="url" label={t('admin.webhooks.url')} rules={[{ required: true, message: t('error.field.required') }]}><Input type="url" /></Form.Item>
        <Form.Item name="secret" label={t('admin.webhooks.secret')} extra={format === 'json' ? t('admin.webhooks.secret.json') : t('admin.webhooks.secret.robot')}
          rules={[{ required: format === 'json', message: t('error.field.required') }]}><Input.Password autoComplete="off" /></Form.Item>
        <Form.Item name="kinds" label={t('admin.webhooks.kinds')} extra={t('admin.webhooks.kinds.hint')}>
          <Select mode="multiple" allowClear options={kinds.map((k) => ({ value: k, label: t(`admin.webhooks.kind.${k}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
