// Client-side navigation with the History API; the app shell listens for 'keisei-route'.

export function navigate(to, {replace = false} = {}) {
  if (to === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', to);
  dispatchEvent(new CustomEvent('keisei-route'));
}

/** Replaces the query string of the current page without a navigation (filters, selections). */
export function setQuery(params) {
  const q = new URLSearchParams(params);
  for (const [k, v] of [...q]) if (v === '' || v == null) q.delete(k);
  const s = q.toString();
  history.replaceState(null, '', location.pathname + (s ? `?${s}` : ''));
}
