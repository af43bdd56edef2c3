// Every route of the app, in one file. Pages are lazy imports, so each feature (and each role's
// home) is its own chunk and the login page loads little.
import { lazy, Suspense, type ComponentType } from 'react';
import { Skeleton } from 'antd';
import { createBrowserRouter, Navigate, useLocation, type RouteObject } from 'react-router';
import { loginPath, useMe } from './shell/session';

function page(load: () => Promise<{ default: ComponentType }>) {
  const Page = lazy(load);
  return <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}><Page /></Suspense>;
}

const Frame = lazy(() => import('./shell/Layout'));

/**
 * Framed is the staff frame's door: nobody logged in goes to the login page before the frame's
 * chunk (menus, drawer, every page's Chinese) is asked for, so that a reload after the session
 * ended loads only what the login page needs. The frame itself still decides the rest (a forced
 * password change, an enterprise user) and sends the user on when a session ends under it.
 */
function Framed() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return null;
  if (!me.data) return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  return <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}><Frame /></Suspense>;
}

export const routes: RouteObject[] = [
  { path: '/login', element: page(() => import('./shell/Login')) },
  { path: '/change-password', element: page(() => import('./shell/ChangePassword')) },
  // the enterprise portal (src/portal/): its own phone-first frame, enterprise users only
  {
    path: '/portal',
    element: page(() => import('./portal/PortalLayout')),
    children: [
      { index: true, element: page(() => import('./portal/MyRequests')) },
      { path: 'new', element: page(() => import('./portal/NewRequest')) },
      { path: 'tickets/:id', element: page(() => import('./portal/RequestPage')) },
      { path: 'steward', element: page(() => import('./portal/MySteward')) },
      { path: 'profile', element: page(() => import('./portal/Profile')) },
      { path: 'notifications', element: page(() => import('./portal/Notifications')) },
      { path: 'projects/:id', element: page(() => import('./portal/ProjectPlan')) },
      { path: '*', element: page(() => import('./portal/PortalNotFound')) },
    ],
  },
  {
    element: <Framed />,
    children: [
      { path: '/', element: page(() => import('./shell/Home')) },
      { path: '/me/password', element: page(() => import('./shell/ChangePassword')) },
      { path: '/me/tokens', element: page(() => import('./shell/Tokens')) },
      // visits (src/visits/)
      { path: '/visits', element: page(() => import('./visits/VisitList')) },
      { path: '/visits/new', element: page(() => import('./visits/NewVisit')) },
      // enterprises and projects (src/enterprises/)
      { path: '/enterprises', element: page(() => import('./enterprises/EnterpriseList')) },
      { path: '/enterprises/:id', element: page(() => import('./enterprises/Enterprise360')) },
      { path: '/projects', element: page(() => import('./enterprises/ProjectList')) },
      { path: '/projects/:id', element: page(() => import('./enterprises/ProjectPage')) },
      // tickets (src/tickets/)
      { path: '/tickets', element: page(() => import('./tickets/TicketList')) },
      { path: '/tickets/new', element: page(() => import('./tickets/NewTicket')) },
      { path: '/tickets/:id', element: page(() => import('./tickets/TicketPage')) },
      { path: '/tickets', element: page(() => import('./tickets/TicketList')) },
      { path: '/tickets/new', element: page(() => import('./tickets/NewTicket')) },
      { path: '/tickets/:id', element: page(() => import('./tickets/TicketPage')) },
      // supervision (src/supervision/)
      { path: '/supervision', element: page(() => import('./supervision/SupervisionPage')) },
      { path: '/supervision/scorecard', element: page(() => import('./supervision/ScorecardPage')) },
      { path: '/admin/scorecard', element: page(() => import('./supervision/ScorecardSettingsPage')) },
      // administration (src/admin/)
      { path: '/admin/users', element: page(() => import('./admin/Users')) },
      { path: '/admin/departments', element: page(() => import('./admin/Departments')) },
      { path: '/admin/categories', element: page(() => import('./admin/Categories')) },
      { path: '/admin/calendar', element: page(() => import('./admin/Calendar')) },
      { path: '/admin/webhooks', element: page(() => import('./admin/Webhooks')) },
      { path: '/admin/imports', element: page(() => import('./admin/Imports')) },
      // audit (src/audit/)
      { path: '/audit', element: page(() => import('./audit/AuditLog')) },
      { path: '/audit/verify', element: page(() => import('./audit/AuditLog')) },
      // approval plans (src/plans/)
      { path: '/admin/plan-templates', element: page(() => import('./plans/TemplateList')) },
      { path: '/admin/plan-templates/:id', element: page(() => import('./plans/TemplateEditor')) },
      { path: '*', element: page(() => import('./shell/NotFound')) },
    ],
  },
];

export function makeRouter() {
  return createBrowserRouter(routes);
}
