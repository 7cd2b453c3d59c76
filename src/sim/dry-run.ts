import type { Context } from 'hono';
import { invalid } from './k8s-status.ts';

// Server-side dry run (`kubectl apply|patch|delete --dry-run=server`, `kubectl diff`): a write with
// `?dryRun=All` is validated and answered with the object as it would be, and nothing is stored, no
// resourceVersion is spent and no controller runs (apiserver handlers: create.go, patch.go, update.go,
// delete.go pass options.DryRun down to the registry, which skips the storage write). The only value is
// "All" (apimachinery validation.ValidateDryRun); anything else is refused as Kubernetes refuses it.

export function dryRun(
  c: Context,
  optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions',
  fromBody: readonly string[] = [],
): boolean {
  const values = [...(c.req.queries('dryRun') ?? []), ...fromBody];
  const bad = values.find((v) => v !== 'All');
  if (bad !== undefined)
    throw invalid({ resource: '', group: 'meta.k8s.io', kind: optionsKind }, [
      {
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${bad}": supported values: "All"`,
        field: 'dryRun',
      },
    ]);
  return values.length > 0;
}
