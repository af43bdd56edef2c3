// A list's filters live in the URL (?q=…&light=red), so a filtered list can be shared and the
// back button returns to it.
import { useSearchParams } from 'react-router';

export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? undefined])) as Record<K, string | undefined>;
  function set(changes: Partial<Record<K, string | undefined | null>>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes) as [K, string | undefined | null][]) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  }
  return [filters, set] as const;
}
