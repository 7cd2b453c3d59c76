// The one way fhpa writes where in a document something is wrong, as Kubernetes' field.Path prints it
// (k8s.io/apimachinery/pkg/util/validation/field/path.go): `spec.metrics[0].pods.target`, a map key that is
// not a plain name in brackets, `metadata.annotations[autoscaling.fhpa.io/mode]`. `fhpa validate`, `plan`,
// `simulate`, `recommend` and the HTTP routes all use it, so one field is written one way everywhere.

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A zod issue path (or any key path) as text, after `prefix` (e.g. `[1]` for a batch item); '' for none. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      out += PLAIN.test(key) ? `${out === '' ? '' : '.'}${key}` : `[${key}]`;
    }
  }
  return out;
}
