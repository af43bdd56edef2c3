// Who is logged in: GET /me, null when nobody is (401).
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { isApiError } from '../api/problem';
import { unwrap } from '../api/query';
import { cached, forget, remember } from '../lib/offline';

export type Me = Schemas['MeBody'];
export type Role = 'admin' | 'dispatcher' | 'leader' | 'steward' | 'officer' | 'auditor' | 'enterprise' | 'integration';

export const meKey = ['me'] as const;

// Without a network the last known user stands (the app shell opens offline and visits can be
// logged); the server decides again at the next answer.
export async function fetchMe(): Promise<Me | null> {
  try {
    return await cached('me', () => unwrap(api.GET('/api/v1/me')));
  } catch (e) {
    if (isApiError(e) && e.status === 401) {
      forget('me');
      return null;
    }
    throw e;
  }
}

/** useMe answers the logged-in user, null when nobody is, undefined while loading. */
/** meQuery is the one way /me is asked: by the frame (useMe) and, earlier, by the start (start.ts). */
export const meQuery = { queryKey: meKey, queryFn: fetchMe, staleTime: 60_000, retry: false } as const;

export function useMe() {
  return useQuery(meQuery);
}

/** useUser is for pages under the login guard: the user is always there. */
export function useUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useUser outside the login guard');
  return data;
}

export function useSetMe() {
  const qc = useQueryClient();
  return useCallback((me: Me | null) => {
    if (me) remember('me', me);
    else forget('me');
    qc.setQueryData(meKey, me);
  }, [qc]);
}

/** loginPath is the login page that returns to `from` afterwards. */
export function loginPath(from: string) {
  return from && from !== '/' && !from.startsWith('/login') ? `/login?from=${encodeURIComponent(from)}` : '/login';
}

/** safeFrom keeps a `from` parameter to paths of this app (never another origin). */
export function safeFrom(from: string | null): string {
  return from && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';
}

// ended says the session of a logged-in user ended (a 401 while the shell was up), so that the
// login page can say so rather than greet a first visit.
let ended = false;
export function markSessionEnded() {
  ended = true;
}
export function takeSessionEnded(): boolean {
  const was = ended;
  ended = false;
  return was;
}
