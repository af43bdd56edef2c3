// The login page (shared/API.md POST /auth/login): wrong password 401, locked 423 and too many
// attempts 429 each explained in plain words; a forced password change leads to its screen.
//
// The card and its title are drawn here from the theme's tokens rather than with antd's Card and
// Typography: those two bring Tabs, Menu and Dropdown along (about 30 KB gzipped), and the login
// route has a JavaScript budget of its own (DESIGN.md §7, ≤ 300 KB). They look the same.
import { useState, type CSSProperties } from 'react';
import { Alert, Button, Form, Input, theme } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { problemMessage } from '../api/problem';
import { unwrap } from '../api/query';
import { useT } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { safeFrom, takeSessionEnded, useMe, useSetMe } from './session';

export default function Login() {
  const t = useT();
  const [params] = useSearchParams();
  const from = safeFrom(params.get('from'));
  const navigate = useNavigate();
  const setMe = useSetMe();
  const me = useMe();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [expired] = useState(takeSessionEnded);
  const { token } = theme.useToken();

  if (me.data && !me.data.must_change_password) return <Navigate to={from} replace />;

  async function submit(v: { username: string; password: string }) {
    setBusy(true);
    setError(undefined);
    try {
      const { user } = await unwrap(api.POST('/api/v1/auth/login', { body: v }));
      setMe(user);
      if (user.must_change_password) navigate(`/change-password?from=${encodeURIComponent(from)}`, { replace: true });
      else navigate(from, { replace: true });
    } catch (e) {
      setError(problemMessage(t, e, {
        unauthenticated: t('login.wrong'),
        locked: t('login.locked'),
        too_many_requests: t('login.rate'),
      }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login-page">
      <div className="login-card" style={cardStyle(token)}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <h2 style={{ margin: 0, color: token.colorTextHeading, fontSize: token.fontSizeHeading2, lineHeight: token.lineHeightHeading2, fontWeight: token.fontWeightStrong }}>{t('app.name')}</h2>
          <LanguageSwitch />
        </div>
        <p style={{ color: token.colorTextSecondary, margin: '0 0 1em' }}>{t('login.subtitle')}</p>
        {expired && <Alert type="info" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.username.required') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.password.required') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>{t('login.submit')}</Button>
        </Form>
      </div>
    </main>
  );
}

/** cardStyle is what antd's Card gives its box and body. */
function cardStyle(token: ReturnType<typeof theme.useToken>['token']): CSSProperties {
  return {
    boxSizing: 'border-box',
    background: token.colorBgContainer,
    border: `${token.lineWidth}px ${token.lineType} ${token.colorBorderSecondary}`,
    borderRadius: token.borderRadiusLG,
    padding: token.paddingLG,
    color: token.colorText,
    fontSize: token.fontSize,
    lineHeight: token.lineHeight,
    fontFamily: token.fontFamily,
  };
}
