import { z } from 'zod';

// metav1.Status, the body of every failed API call (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).
// Loose: only what the client branches on is read.
export const statusSchema = z.looseObject({
  kind: z.literal('Status'),
  status: z.string().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  code: z.number().int().optional(),
  details: z
    .looseObject({
      name: z.string().optional(),
      group: z.string().optional(),
      kind: z.string().optional(),
      retryAfterSeconds: z.number().int().optional(),
      causes: z
        .array(z.looseObject({ field: z.string().optional(), message: z.string().optional() }))
        .optional(),
    })
    .optional(),
});
export type KubeStatus = z.infer<typeof statusSchema>;

/** apimachinery's reason for a code when the body is not a Status (errors.go#NewGenericServerResponse). */
export function reasonForCode(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Gone',
    413: 'RequestEntityTooLarge',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? 'Unknown';
}
