// My API tokens (shared/API.md /me/tokens): for scripts and integrations. A new token is shown
// once; each expires (default 90 days, at most 365).
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Table, Tag, Typography, message } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { applyFieldErrors, problemMessage } from '../api/problem';
import { unwrap } from '../api/query';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';

// expires_at and expires_in_days are in the contract (shared/API.md); the server's document may
// name them after this page was written, so they are read and sent through these types.
type Token = Schemas['TokenBody'] & { expires_at?: string | null };
type NewToken = Schemas['NewTokenBody'] & { expires_at?: string };
type Values = { name: string; expires_in_days: number };

export default function Tokens() {
  const t = useT();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [shown, setShown] = useState<NewToken>();
  const [error, setError] = useState<string>();
  const tokens = useQuery({ queryKey: ['me', 'tokens'], queryFn: () => unwrap(api.GET('/api/v1/me/tokens')) });
  const create = useMutation({
    mutationFn: (v: Values) => unwrap(api.POST('/api/v1/me/tokens', { body: v as Schemas['Create-my-tokenRequest'] })),
    onSuccess: (tok) => {
      setShown(tok as NewToken);
      setError(undefined);
      form.resetFields();
      qc.invalidateQueries({ queryKey: ['me', 'tokens'] });
    },
    onError: (e) => setError([problemMessage(t, e), ...applyFieldErrors(form, e, t)].join(' ')),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['me', 'tokens'] }),
    onError: (e) => message.error(problemMessage(t, e)),
  });
  const items = ((tokens.data as { items?: Token[] } | undefined)?.items ?? []) as Token[];

  return (
    <div style={{ maxWidth: 900, margin: '0 auto' }}>
      <Typography.Title level={3}>{t('tokens.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <Card title={t('tokens.new')} style={{ marginBottom: 16 }}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="inline" initialValues={{ expires_in_days: 90 }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, message: t('error.field.required') }]}>
            <Input placeholder={t('tokens.name.placeholder')} />
          </Form.Item>
          <Form.Item name="expires_in_days" label={t('tokens.days')} rules={[{ required: true, message: t('error.field.required') }]}>
            <InputNumber min={1} max={365} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>{t('tokens.create')}</Button>
        </Form>
      </Card>
      <Table<Token>
        rowKey="id"
        loading={tokens.isPending}
        dataSource={items}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('tokens.none') }}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          { title: t('tokens.created'), dataIndex: 'created_at', render: formatDateTime },
          { title: t('tokens.expires'), dataIndex: 'expires_at', render: formatDateTime },
          { title: t('tokens.last_used'), dataIndex: 'last_used_at', render: (v) => (v ? formatDateTime(v) : t('tokens.never')) },
          { title: t('tokens.state'), render: (_, r) => (r.revoked_at ? <Tag>{t('tokens.revoked')}</Tag> : <Tag color="green">{t('tokens.active')}</Tag>) },
          {
            title: '', render: (_, r) => !r.revoked_at && (
              <Popconfirm title={t('tokens.revoke.confirm')} onConfirm={() => revoke.mutate(r.id)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                <Button danger size="small">{t('tokens.revoke')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal open={!!shown} title={t('tokens.shown.title')} onOk={() => setShown(undefined)} onCancel={() => setShown(undefined)}
        cancelButtonProps={{ style: { display: 'none' } }} okText={t('tokens.shown.done')}>
        <Alert type="warning" showIcon title={t('tokens.shown.once')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: shown?.token }} code data-testid="new-token" style={{ wordBreak: 'break-all' }}>{shown?.token}</Typography.Paragraph>
        {shown?.expires_at && <Typography.Text type="secondary">{t('tokens.expires')}: {formatDateTime(shown.expires_at)}</Typography.Text>}
      </Modal>
    </div>
  );
}
