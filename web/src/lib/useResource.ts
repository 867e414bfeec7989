import { type DependencyList, useCallback, useEffect, useState } from "react";
import { ApiError } from "../api.js";

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  /** Replace the data in place (after a write answered with the new state). */
  set: (value: T) => void;
}

export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, "client", (err as Error)?.message ?? String(err));
}

/** Loads data from the API when the dependencies change; stale answers are dropped. */
export function useResource<T>(load: () => Promise<T>, deps: DependencyList): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's dependencies decide
  const run = useCallback(load, deps);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new tick asks for a reload
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    run().then(
      (v) => {
        if (!live) return;
        setData(v);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(asApiError(err));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [run, tick]);
  return { data, error, loading, reload: () => setTick((t) => t + 1), set: setData };
}
