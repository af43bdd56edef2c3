// Home: each role's own first page, each its own chunk.
import { lazy, Suspense } from 'react';
import { Skeleton } from 'antd';
import { Navigate } from 'react-router';
import { useUser } from './session';

const homes: Record<string, ReturnType<typeof lazy>> = {
  steward: lazy(() => import('../visits/StewardHome')),
  officer: lazy(() => import('../tickets/OfficerHome')),
  dispatcher: lazy(() => import('../tickets/DispatcherHome')),
  leader: lazy(() => import('../tickets/LeaderHome')),
  auditor: lazy(() => import('../audit/AuditLog')),
  admin: lazy(() => import('../admin/AdminHome')),
};
const Other = lazy(() => import('./OtherHome'));

export default function Home() {
  const user = useUser();
  if (user.role === 'enterprise') return <Navigate to="/portal" replace />; // the portal is theirs
  const Page = homes[user.role] ?? Other;
  return <Suspense fallback={<Skeleton active />}><Page /></Suspense>;
}
