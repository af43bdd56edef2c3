// The start of a staff page. Left to React, the first screen after a reload is a waterfall: the
// frame's chunk, then GET /me from the frame, then the home's chunk, then the role's home chunk,
// then its lists — each waiting for the one before (DESIGN.md §7 gives the home 1 s in all).
// Here /me is asked at once and the chunks fetched beside it, so that the lists are asked as soon
// as the user is known. The login page asks none of this (its JavaScript budget is its own).
import type { QueryClient } from '@tanstack/react-query';
import { recall } from '../lib/offline';
import { homeLoaders, otherHome } from './homes';
import { meKey, meQuery, type Me } from './session';

function preloadHome(role: string) {
  (homeLoaders[role] ?? otherHome)().catch(() => { /* Home's own import reports it */ });
}

export function startEarly(qc: QueryClient) {
  const path = window.location.pathname;
  if (path.startsWith('/login') || path.startsWith('/change-password') || path.startsWith('/portal')) return;
  // useMe's query: the frame finds it asked (or answered).
  void qc.prefetchQuery(meQuery).then(() => {
    const me = qc.getQueryData<Me | null>(meKey);
    if (me) preloadFrame(path, me.role);
  });
  // The last user kept on this device (for offline use; forgotten at a logout or a 401) is most
  // likely still logged in: the frame and their home are fetched now rather than after /me
  // answers. Without one nobody may be logged in, and the login page needs none of it.
  const kept = recall<Me>('me');
  if (kept?.role) preloadFrame(path, kept.role);
}

function preloadFrame(path: string, role: string) {
  import('./Layout').catch(() => {});
  if (path !== '/') return;
  import('./Home').catch(() => {});
  preloadHome(role);
}
