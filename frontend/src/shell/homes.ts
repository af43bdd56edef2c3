// Each role's home, as a chunk of its own: Home renders it, and the start (start.ts) fetches it
// while the frame is still loading.
import type { ComponentType } from 'react';

type Loader = () => Promise<{ default: ComponentType }>;

export const homeLoaders: Record<string, Loader> = {
  steward: () => import('../visits/StewardHome'),
  officer: () => import('../tickets/OfficerHome'),
  dispatcher: () => import('../tickets/DispatcherHome'),
  leader: () => import('../tickets/LeaderHome'),
  auditor: () => import('../audit/AuditLog'),
  admin: () => import('../admin/AdminHome'),
};

export const otherHome: Loader = () => import('./OtherHome');
