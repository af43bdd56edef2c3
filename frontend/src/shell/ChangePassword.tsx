// Change my password: from the user menu, and forced after an administrator set the password.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography, message } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { applyFieldErrors, problemMessage } from '../api/problem';
import { unwrap } from '../api/query';
import { useT } from '../i18n';
import { loginPath, meKey, safeFrom, useMe } from './session';

type Values = { old_password: string; new_password: string; confirm: string };

export default function ChangePassword() {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [params] = useSearchParams();
  const from = safeFrom(params.get('from'));
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useMe();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const forced = !!me.data?.must_change_password;

  async function submit(v: Values) {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(api.POST('/api/v1/me/password', { body: { old_password: v.old_password, new_password: v.new_password } }));
      message.success(t('password.changed'));
      await qc.invalidateQueries({ queryKey: meKey });
      const still = qc.getQueryData(meKey);
      navigate(still ? from : loginPath(from), { replace: true });
    } catch (e) {
      const rest = applyFieldErrors(form, e, t);
      setError([problemMessage(t, e, { unauthenticated: t('password.wrong_old') }), ...rest].join(' '));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className={forced ? 'login-page' : undefined}>
      <Card className="login-card" style={forced ? undefined : { margin: '0 auto' }}>
        <Typography.Title level={3}>{t('password.title')}</Typography.Title>
        {forced && <Alert type="warning" showIcon title={t('password.forced')} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="old_password" label={t('password.old')} rules={[{ required: true, message: t('error.field.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="new_password" label={t('password.new')} extra={t('password.rule')}
            rules={[{ required: true, message: t('error.field.required') }, { min: 8, message: t('password.rule') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="confirm" label={t('password.confirm')} dependencies={['new_password']}
            rules={[{ required: true, message: t('error.field.required') },
              ({ getFieldValue }) => ({ validator: (_, v) => (!v || v === getFieldValue('new_password') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))) })]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>{t('password.submit')}</Button>
        </Form>
      </Card>
    </main>
  );
}
