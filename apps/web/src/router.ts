// Screens are addressed by the URL fragment (`#/instances/<id>?status=active`), so a deep link works with
// the server serving one index.html and nothing else.
import { useEffect, useState } from 'preact/hooks';
import { searchString, type Params } from './search-params.js';

export interface Route {
  /** the path's segments: `#/instances/abc` → ['instances', 'abc'] */
  segments: string[];
  query: URLSearchParams;
}

export function currentRoute(): Route {
  const fragment = location.hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = fragment.split('?', 2);
  return { segments: path.split('/').filter((s) => s !== '').map(decodeURIComponent), query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** The href of a screen: `href('/instances', { status: 'active' })` → `#/instances?status=active`. */
export function href(path: string, params: Params = {}): string {
  return `#${path}${searchString(params)}`;
}

export function navigate(path: string, params?: Params): void {
  location.hash = href(path, params);
}
