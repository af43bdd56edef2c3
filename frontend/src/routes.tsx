// Every route of the app, in one file. Pages are lazy imports, so each feature (and each role's
// home) is its own chunk and the login page loads little.
import { lazy, Suspense, type ComponentType } from 'react';
import { Skeleton } from 'antd';
import { createBrowserRouter, type RouteObject } from 'react-router';

function page(load: () => Promise<{ default: ComponentType }>) {
  const Page = lazy(load);
  return <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}><Page /></Suspense>;
}

export const routes: RouteObject[] = [
  { path: '/login', element: page(() => import('./shell/Login')) },
  { path: '/change-password', element: page(() => import('./shell/ChangePassword')) },
  {
    element: page(() => import('./shell/Layout')),
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
