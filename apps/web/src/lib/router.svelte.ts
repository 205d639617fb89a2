// A small hash router: routes are `#/path`, so the API's static file server needs no fallback
// for deep links and a reload keeps the page. Pages are loaded lazily (code-split per page).
import type { Component } from 'svelte';

export interface Route {
  /** e.g. '/attempts/:attemptId/result' */
  pattern: string;
  load: () => Promise<{ default: Component<any> }>;
  /** Who may open it: anyone, anyone signed in, or staff (instructor/admin) or admin only. */
  access: 'public' | 'user' | 'staff' | 'admin';
  /** Message key of the page's title (routes.*). */
  title: string;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

function compile(pattern: string): RegExp {
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}/?$`);
}

export function matchRoute(routes: Route[], path: string): Match | undefined {
  for (const route of routes) {
    const m = compile(route.pattern).exec(path);
    if (m) {
      const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      return { route, params };
    }
  }
  return undefined;
}

function currentPath(): string {
  const raw = location.hash.replace(/^#/, '');
  return (raw.split('?')[0] || '/').replace(/^(?!\/)/, '/');
}

/** The current path (without '#'), reactive. */
export const location$ = $state({ path: currentPath(), query: new URLSearchParams(location.hash.split('?')[1] ?? '') });

window.addEventListener('hashchange', () => {
  location$.path = currentPath();
  location$.query = new URLSearchParams(location.hash.split('?')[1] ?? '');
});

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = `#${path}`;
  if (options.replace) {
    history.replaceState(null, '', url);
    location$.path = currentPath();
    location$.query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  } else {
    location.hash = path;
  }
}

/** Link target for an <a href>. */
export const href = (path: string) => `#${path}`;
