// Home: each role's own first page, each its own chunk.
import { lazy, Suspense } from 'react';
import { Skeleton } from 'antd';
import { Navigate } from 'react-router';
import { homeLoaders, otherHome } from './homes';
import { useUser } from './session';

const homes = Object.fromEntries(Object.entries(homeLoaders).map(([role, load]) => [role, lazy(load)]));
const Other = lazy(otherHome);

export default function Home() {
  const user = useUser();
  if (user.role === 'enterprise') return <Navigate to="/portal" replace />; // the portal is theirs
  const Page = homes[user.role] ?? Other;
  return <Suspense fallback={<Skeleton active />}><Page /></Suspense>;
}
