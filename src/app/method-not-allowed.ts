import type { Context, Hono } from 'hono';

// A request for a path fhpa serves, with a method it does not serve there, is 405 with an Allow header
// (RFC 9110 §15.5.5), not 404: "no route" sends a user looking for a typo in the path when the method is
// what is wrong (`curl localhost:8080/evaluate/default/web` without -XPOST). The methods come from the app's
// own route table, so a new route needs nothing here; middleware (method ALL) serves no method.

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A Hono route path as a regular expression: `:param` is one segment, `*` anything. */
function patternOf(path: string): RegExp {
  const segments = path
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : escapeRegExp(seg)));
  return new RegExp(`^${segments.join('/')}$`);
}

/** The app's unmatched-request handler: 405 + Allow for a known path, else 404 naming method and path. */
export function unmatched(app: Hono): (c: Context) => Response {
  let table: Array<{ pattern: RegExp; method: string }> | undefined;
  return (c) => {
    // Built on the first unmatched request, when every route has been registered.
    table ??= app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ pattern: patternOf(r.path), method: r.method }));
    const path = new URL(c.req.url).pathname;
    const methods = new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.has('GET')) methods.add('HEAD'); // Hono answers HEAD with the GET route
    if (methods.size === 0) return c.json({ error: `no route for ${c.req.method} ${path}` }, 404);
    const allow = [...methods].sort().join(', ');
    return c.json({ error: `method ${c.req.method} is not allowed on ${path}: use ${allow}` }, 405, {
      Allow: allow,
    });
  };
}
