// Query helpers: every hook of a feature calls the generated client through these, so that errors
// become ApiError, single resources carry their ETag, and lists page by cursor.
import { useDeferredValue, useMemo } from 'react';
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { ApiError, type Problem } from './problem';

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** unwrap answers the data of a 2xx answer and throws ApiError otherwise (0: no network). */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let res: Answer<T>;
  try {
    res = await call;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'offline', detail: String(e) });
  }
  if (!res.response.ok) {
    throw new ApiError(res.response.status, res.error as Partial<Problem> | undefined,
      res.response.headers.get('X-Request-Id') ?? undefined);
  }
  return res.data as T;
}

/** The key under which a single resource keeps the ETag it was read with. */
export const ETAG = '$etag';
export type Tagged<T> = T & { [ETAG]?: string };

/**
 * unwrapTagged is unwrap for a single resource: the answer's ETag travels with the data (a plain
 * property, so TanStack Query's structural sharing keeps it), and ifMatch(data) sends it back.
 */
export async function unwrapTagged<T extends object>(call: Promise<Answer<T>>): Promise<Tagged<T>> {
  let etag: string | null = null;
  const data = await unwrap(call.then((r) => ((etag = r.response.headers.get('ETag')), r)));
  return { ...data, [ETAG]: etag ?? undefined };
}

/** ifMatch is the If-Match header for changing what was read: its ETag, else its version. */
export function ifMatch(x: object): { 'If-Match': string } {
  const tagged = x as { [ETAG]?: string; version?: number };
  const tag = tagged[ETAG] ?? (tagged.version ? `"${tagged.version}"` : undefined);
  if (!tag) throw new Error('ifMatch: the resource was read without an ETag or version');
  return { 'If-Match': tag };
}

/** newIdempotencyKey works outside secure contexts too (crypto.randomUUID does not). */
export function newIdempotencyKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export type Page<T> = { items?: T[] | null; next_cursor?: string | null; total?: number };

const none: never[] = [];

/**
 * useCursorList pages a list by the server's keyset cursor: `fetchPage(cursor)` reads one page,
 * `items` are all pages read so far, `more()` reads the next.
 *
 * later marks a page's secondary list: its rows are rendered at a lower priority (a deferred value,
 * which React renders in slices and sets aside for anything urgent), so that the page's main list
 * is painted first instead of in one long render with every list whose answer came with it. The
 * request is sent at once all the same; until its rows are rendered the list counts as pending.
 */
export function useCursorList<T>(key: QueryKey, fetchPage: (cursor?: string) => Promise<Page<T>>, enabled = true,
  { later = false }: { later?: boolean } = {}) {
  const q = useInfiniteQuery({
    queryKey: key,
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const read = useMemo(() => q.data?.pages.flatMap((p) => p.items ?? []) ?? none, [q.data]);
  const deferred = useDeferredValue(later ? read : none);
  const items = later ? deferred : read;
  return { ...q, items, isPending: q.isPending || items !== read, more: () => q.fetchNextPage(), hasMore: !!q.hasNextPage };
}
