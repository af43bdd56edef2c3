// The one API client: generated from the server's OpenAPI document (src/api/openapi.json →
// schema.d.ts, `make client`). Pages never call fetch themselves; they use the hooks of their
// feature, which call this client through query.ts.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export const api = createClient<paths>({ baseUrl: '' });

// onUnauthenticated is told when a request made with a session answers 401 (the session ended):
// the shell sends the user to the login page and back to where they were afterwards.
let onUnauthenticated: (() => void) | undefined;
export function setUnauthenticatedHandler(f: (() => void) | undefined) {
  onUnauthenticated = f;
}

const sessionExpiry: Middleware = {
  onResponse({ request, response }) {
    const url = new URL(request.url, location.origin);
    if (response.status === 401 && !url.pathname.startsWith('/api/v1/auth/')) onUnauthenticated?.();
    return undefined;
  },
};
api.use(sessionExpiry);

export type { paths, components } from './schema';
export type Schemas = import('./schema').components['schemas'];
