/** Loads what a page shows, reloads it when the live feed says its area changed. */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { Area, LiveFeed } from './live.ts';

export const LiveContext = createContext<LiveFeed | undefined>(undefined);

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], areas: readonly Area[] = []): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const latest = useRef(0);
  const live = useContext(LiveContext);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);

  const fetchNow = useCallback(
    (quiet: boolean) => {
      const ticket = ++latest.current;
      if (!quiet) setState((s) => ({ ...s, loading: true }));
      run().then(
        (data) => ticket === latest.current && setState({ data, error: undefined, loading: false }),
        (error: unknown) => ticket === latest.current && setState((s) => ({ data: quiet ? s.data : undefined, error, loading: false })),
      );
    },
    [run],
  );

  useEffect(() => {
    fetchNow(false);
    return () => {
      latest.current++;
    };
  }, [fetchNow]);

  const areaKey = areas.join(',');
  useEffect(() => {
    if (!live || areaKey === '') return;
    const wanted = areaKey.split(',');
    return live.subscribe((changed) => {
      if (changed.some((a) => wanted.includes(a))) fetchNow(true);
    });
  }, [live, areaKey, fetchNow]);

  return { ...state, reload: () => fetchNow(false) };
}
