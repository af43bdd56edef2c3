// The portal's frame (enterprise users only): a top bar with the enterprise's name, the bell and
// the language switch, a bottom tab bar with big touch targets (on wide screens, in the top
// bar), and the watermark over everything the enterprise's data shows in.
import { useEffect } from 'react';
import { Badge, Button, Dropdown, Grid } from 'antd';
import { BellOutlined, FileAddOutlined, IdcardOutlined, LockOutlined, LogoutOutlined, ShopOutlined, UnorderedListOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, setUnauthenticatedHandler } from '../api/client';
import { unwrap } from '../api/query';
import { EnterpriseData } from '../components/EnterpriseData';
import { useT } from '../i18n';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { loginPath, markSessionEnded, useMe, useSetMe } from '../shell/session';
import { useMyEnterprise, useNotifications } from './hooks';
import './portal.css';
import '../i18n/zh'; // the portal's Chinese words (not on the login route)

const tabs = [
  { path: '/portal', label: 'portal.tab.requests', icon: <UnorderedListOutlined /> },
  { path: '/portal/new', label: 'portal.tab.new', icon: <FileAddOutlined /> },
  { path: '/portal/steward', label: 'portal.tab.steward', icon: <IdcardOutlined /> },
  { path: '/portal/profile', label: 'portal.tab.profile', icon: <ShopOutlined /> },
];

function current(pathname: string) {
  if (pathname === '/portal' || pathname === '/portal/' || pathname.startsWith('/portal/tickets')) return '/portal';
  return tabs.find((t) => t.path !== '/portal' && pathname.startsWith(t.path))?.path;
}

export default function PortalLayout() {
  const me = useMe();
  const location = useLocation();
  const setMe = useSetMe();
  const here = location.pathname + location.search;

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      markSessionEnded();
      setMe(null);
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [setMe]);

  if (me.isPending) return null;
  if (!me.data) return <Navigate to={loginPath(here)} replace />;
  if (me.data.must_change_password) return <Navigate to={`/change-password?from=${encodeURIComponent(here)}`} replace />;
  // The portal is the enterprise's: staff have their own app and are not offered these pages.
  if (me.data.role !== 'enterprise') return <Navigate to="/" replace />;
  return <Frame />;
}

function Frame() {
  const t = useT();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const setMe = useSetMe();
  const screens = Grid.useBreakpoint();
  const mine = useMyEnterprise();
  const notes = useNotifications();
  const unread = notes.data?.unread ?? 0;
  const active = current(location.pathname);
  const wide = !!screens.md;

  async function logout() {
    await unwrap(api.POST('/api/v1/auth/logout')).catch(() => {});
    qc.clear();
    setMe(null);
    navigate('/login', { replace: true });
  }

  const nav = (
    <nav className="portal-tabs" aria-label={t('portal.tabs')}>
      {tabs.map((tab) => (
        <Link key={tab.path} to={tab.path} className="portal-tab" aria-current={active === tab.path ? 'page' : undefined}>
          {tab.icon}<span>{t(tab.label)}</span>
        </Link>
      ))}
    </nav>
  );

  return (
    <div className="portal">
      <header className="portal-top">
        <div className="portal-name" data-testid="portal-enterprise">{mine.data?.enterprise.name ?? t('portal.title')}</div>
        {wide && nav}
        <Button type="text" aria-label={t('portal.bell', { n: unread })} data-testid="portal-bell" onClick={() => navigate('/portal/notifications')}>
          <Badge count={unread} size="small" overflowCount={99}><BellOutlined style={{ fontSize: 20 }} /></Badge>
        </Button>
        <LanguageSwitch compact={!wide} />
        <Dropdown trigger={['click']} placement="bottomRight" menu={{
          items: [
            { key: 'password', icon: <LockOutlined />, label: t('portal.password') },
            { type: 'divider' },
            { key: 'logout', icon: <LogoutOutlined />, label: t('portal.logout'), danger: true },
          ],
          onClick: ({ key }) => {
            if (key === 'password') navigate(`/change-password?from=${encodeURIComponent('/portal')}`);
            if (key === 'logout') logout();
          },
        }}>
          <Button type="text" aria-label={t('portal.account')} icon={<UserOutlined style={{ fontSize: 18 }} />} />
        </Dropdown>
      </header>
      <EnterpriseData>
        <main className="portal-main">
          <Outlet />
        </main>
      </EnterpriseData>
      {!wide && nav}
    </div>
  );
}
