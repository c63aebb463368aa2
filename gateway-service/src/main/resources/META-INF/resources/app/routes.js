// Every page of the dashboard, in one table: it drives matching a URL, loading the page's module,
// rendering its element, the navigation bar and the document title. To add a page, add a row here.
//
//   path        the URL; `:name` matches one segment and is handed to the element as property `name`
//   module      the page's module, relative to this file; it defines the element `tag`
//   tag         the custom element that renders the page; it also receives `query` (URLSearchParams)
//   title       the document title
//   nav         the label in the navigation bar; absent: not in the bar
//   permission  the bar shows the entry only to roles with this permission
//   navUnder    the bar entry (its path) that is marked current while this page is shown; absent: only the
//               entry of the page's own path is (a session page is not the overview: no entry is current)
//   public      shown without signing in
//
// Deep links: the gateway serves index.html for the top-level paths in DashboardRoutes.DEEP_LINKS;
// a page under a new top-level path needs it added there too.
export const ROUTES = [
  {path: '/', module: './pages/overview.js', tag: 'overview-page', title: 'Overview', nav: 'Overview'},
  {path: '/sessions/:sessionId', module: './pages/session.js', tag: 'session-page', title: 'Session'},
  {path: '/new', module: './pages/new-session.js', tag: 'new-session-page', title: 'New session', nav: 'New session',
    permission: 'training.start'},
  {path: '/models', module: './pages/models.js', tag: 'models-page', title: 'Models', nav: 'Models'},
  // Under /models: deep links of the models' top-level path are served index.html already (DashboardRoutes).
  {path: '/models/leaderboard', module: './pages/leaderboard.js', tag: 'leaderboard-page', title: 'Leaderboard', nav: 'Leaderboard'},
  // The short address of the same page (its own top-level path in DEEP_LINKS); the bar's entry stays the one above.
  {path: '/leaderboard', module: './pages/leaderboard.js', tag: 'leaderboard-page', title: 'Leaderboard', navUnder: '/models/leaderboard'},
  {path: '/models/evaluations/:evaluationId', module: './pages/evaluation.js', tag: 'evaluation-page', title: 'Evaluation',
    navUnder: '/models/leaderboard'},
  {path: '/compare', module: './pages/compare.js', tag: 'compare-page', title: 'Compare', nav: 'Compare'},
  {path: '/resources', module: './pages/resources.js', tag: 'resources-page', title: 'Resources', nav: 'Resources'},
  {path: '/signin', module: './pages/signin.js', tag: 'signin-page', title: 'Sign in', public: true},
].map((r) => ({...r, url: new URL(r.module, import.meta.url).href, ...compile(r.path)}));

function compile(path) {
  const names = [];
  const source = path.split('/').map((seg) => {
    if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(seg.slice(1));
    return '([^/]+)';
  }).join('/');
  return {re: new RegExp(`^${source}$`), paramNames: names};
}

/**
 * The route of a location: the table's row with `params` (the path's named segments), `path` and `query`;
 * a row without `tag` when no page matches.
 */
export function match(loc) {
  const path = loc.pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(loc.search);
  for (const r of ROUTES) {
    const m = r.re.exec(path);
    if (m) return {...r, params: Object.fromEntries(r.paramNames.map((name, i) => [name, decodeURIComponent(m[i + 1])])), path, query};
  }
  return {title: 'Not found', params: {}, path, query};
}

/** Loads a route's page module (once; the browser keeps it). */
export function load(route) {
  return route.url ? import(route.url) : Promise.resolve();
}

/** Asks the browser to fetch the other pages' modules ahead of use, without running them. */
export function preloadOthers(current) {
  for (const r of ROUTES) {
    if (r.url === current?.url || document.querySelector(`link[rel=modulepreload][href="${r.url}"]`)) continue;
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = r.url;
    document.head.append(link);
  }
}
