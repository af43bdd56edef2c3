// The frame of every page after login: the role's menu, the bell, the user menu.
import { useEffect, useState } from 'react';
import { Avatar, Button, Drawer, Dropdown, Grid, Layout as AntLayout, Menu, Typography } from 'antd';
import { KeyOutlined, LockOutlined, LogoutOutlined, MenuOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, setUnauthenticatedHandler } from '../api/client';
import { unwrap } from '../api/query';
import { useLang, useT } from '../i18n';
import { Bell } from './Bell';
import { useOutboxSync } from '../visits/hooks';
import { menus } from './menu';
import { loginPath, markSessionEnded, useMe, useSetMe, type Role } from './session';
import '../i18n/zh'; // the logged-in pages' Chinese words (not on the login route)

export default function Layout() {
  const t = useT();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const setMe = useSetMe();
  const [lang, setLang] = useLang();
  const screens = Grid.useBreakpoint();
  const [drawer, setDrawer] = useState(false);
  const here = location.pathname + location.search;
  useOutboxSync(me.data?.id);

  useEffect(() => {
    // A 401 on any request: the session ended (idle 30 minutes, logout elsewhere, password reset).
    setUnauthenticatedHandler(() => {
      markSessionEnded();
      setMe(null); // the guard below then sends the user to the login page, and back here after it
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [setMe]);

  if (me.isPending) return null;
  if (!me.data) return <Navigate to={loginPath(here)} replace />;
  if (me.data.must_change_password) return <Navigate to={`/change-password?from=${encodeURIComponent(here)}`} replace />;
  // Enterprise users have the portal (src/portal/); the staff pages are not offered to them.
  if (me.data.role === 'enterprise') return <Navigate to="/portal" replace />;

  const user = me.data;
  const entries = menus[user.role as Role] ?? menus.integration;
  // The entry whose path is the longest prefix of the page's (/supervision/scorecard, not also /supervision).
  const selected = entries.filter((e) => e.path === '/' ? location.pathname === '/' : location.pathname.startsWith(e.path))
    .map((e) => e.path).sort((a, b) => b.length - a.length).slice(0, 1);
  const items = entries.map((e) => ({ key: e.path, icon: e.icon, label: t(e.label) }));
  const mobile = !screens.md;

  async function logout() {
    await unwrap(api.POST('/api/v1/auth/logout')).catch(() => {});
    qc.clear();
    setMe(null);
    navigate('/login', { replace: true });
  }

  const userMenu = {
    items: [
      { key: 'who', label: <span>{user.display_name}<br /><Typography.Text type="secondary">{t(`role.${user.role}`)}</Typography.Text></span>, disabled: true },
      { type: 'divider' as const },
      { key: 'password', icon: <LockOutlined />, label: t('user.password') },
      { key: 'tokens', icon: <KeyOutlined />, label: t('user.tokens') },
      { key: 'lang', icon: <TranslationOutlined />, label: lang === 'en' ? '中文' : 'English' },
      { type: 'divider' as const },
      { key: 'logout', icon: <LogoutOutlined />, label: t('user.logout'), danger: true },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'password') navigate('/me/password');
      if (key === 'tokens') navigate('/me/tokens');
      if (key === 'lang') setLang(lang === 'en' ? 'zh-CN' : 'en');
      if (key === 'logout') logout();
    },
  };

  const menu = (
    <Menu mode={mobile ? 'inline' : 'horizontal'} selectedKeys={selected} items={items}
      onClick={({ key }) => { setDrawer(false); navigate(key); }} style={{ flex: 1, minWidth: 0, borderBottom: 'none' }} />
  );

  return (
    <AntLayout style={{ minHeight: '100vh' }}>
      <AntLayout.Header className="app-header">
        {mobile && <Button type="text" icon={<MenuOutlined />} aria-label={t('menu.open')} onClick={() => setDrawer(true)} />}
        <Typography.Text strong className="app-title" onClick={() => navigate('/')}>{t('app.name')}</Typography.Text>
        {!mobile && menu}
        <div style={{ marginLeft: 'auto', display: 'flex', alignItems: 'center', gap: 4 }}>
          <Bell />
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" aria-label={`${user.display_name} ${t('user.menu')}`} data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} />{!mobile && <span style={{ marginLeft: 6 }}>{user.display_name}</span>}
            </Button>
          </Dropdown>
        </div>
      </AntLayout.Header>
      {mobile && <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={240} title={t('app.name')}>{menu}</Drawer>}
      <AntLayout.Content className="app-content">
        <Outlet />
      </AntLayout.Content>
    </AntLayout>
  );
}
