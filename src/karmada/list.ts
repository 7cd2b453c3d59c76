import type { z } from 'zod';
import { describeIssue } from './body.ts';
import { apiError, isExpired } from './errors.ts';
import type { RestClient } from './rest-client.ts';
import { rawListSchema } from './schemas/k8s.ts';

// Paginated LIST (`limit` + `continue`, k8s.io/client-go/tools/pager): pages are fetched until the server
// returns no continue token. A token that expired mid-way (410 Gone / ResourceExpired) restarts the list
// once from the beginning, as the pager's full-list fallback does.

export const DEFAULT_PAGE_SIZE = 500;

export interface ListRequest {
  path: string;
  resource: string;
  labelSelector?: string;
  pageSize?: number;
  /** Extra query parameters. */
  query?: Record<string, string | undefined>;
}

/** Every item of a collection, unparsed (callers parse each item so one bad object is reported alone). */
export async function listAll(client: RestClient, req: ListRequest): Promise<unknown[]> {
  for (let restart = 0; ; restart++) {
    try {
      return await listPages(client, req);
    } catch (err) {
      if (!isExpired(err) || restart >= 1) throw err;
    }
  }
}

async function listPages(client: RestClient, req: ListRequest): Promise<unknown[]> {
  const items: unknown[] = [];
  let token: string | undefined;
  do {
    const page = await client.request({
      verb: 'list',
      path: req.path,
      resource: req.resource,
      schema: rawListSchema,
      query: {
        ...req.query,
        labelSelector: req.labelSelector,
        limit: req.pageSize ?? DEFAULT_PAGE_SIZE,
        continue: token,
      },
    });
    items.push(...page.items);
    token = page.metadata?.continue || undefined;
  } while (token);
  return items;
}

/** Item `index` of a list, parsed; one that does not parse fails the list with InvalidResponse naming it. */
export function parseItem<T>(schema: z.ZodType<T>, item: unknown, index: number, resource: string): T {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  throw apiError({
    verb: 'list',
    resource,
    status: 200,
    reason: 'InvalidResponse',
    message: `unexpected response body: items.${index}.${describeIssue(parsed.error)}`,
  });
}
