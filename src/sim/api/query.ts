/**
 * Boolean query parameters as kube-apiserver reads them (runtime.Convert_Slice_string_To_bool):
 * absent → false; "0" or "false" in any case → false; any other value — "True", "yes", "" —
 * → true. The Python client sends `watch=True`, so anything stricter ends its watches.
 */
export function queryBool(v: string | null | undefined): boolean {
  if (v === null || v === undefined) return false;
  const l = v.toLowerCase();
  return l !== '0' && l !== 'false';
}

export function urlBool(url: URL, key: string): boolean {
  return queryBool(url.searchParams.get(key));
}
