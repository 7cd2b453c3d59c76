import type { ObjectMeta } from '../api/autoscaling-v2.ts';
import { child, type FieldError, invalid, required } from './field-error.ts';
import { isDNS1123Label, isLabelValue, isQualifiedName, nameIsDNSSubdomain } from './names.ts';

// apivalidation.ValidateObjectMeta(meta, requiresNamespace=true, NameIsDNSSubdomain, "metadata"), as both
// of Karmada's webhooks call it (k8s.io/apimachinery/pkg/api/validation/objectmeta.go
// #ValidateObjectMetaAccessor and validateObjectMetaAccessorWithOptsCommon). Go walks label and
// annotation maps in random order; fhpa walks them in document order. ownerReferences, finalizers and
// managedFields are set by controllers, not by people writing specs, and are not checked here.

const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

export function validateObjectMeta(meta: ObjectMeta, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = typeof meta.generateName === 'string' ? meta.generateName : '';
  if (generateName !== '') {
    for (const msg of nameIsDNSSubdomain(generateName, true)) {
      errs.push(invalid(child(path, 'generateName'), generateName, msg));
    }
  }
  const name = meta.name ?? '';
  if (name === '') errs.push(required(child(path, 'name'), 'name or generateName is required'));
  else for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalid(child(path, 'name'), name, msg));

  const namespace = meta.namespace ?? '';
  if (namespace === '') errs.push(required(child(path, 'namespace')));
  else
    for (const msg of isDNS1123Label(namespace)) errs.push(invalid(child(path, 'namespace'), namespace, msg));

  if (meta.generation !== undefined && meta.generation < 0) {
    errs.push(invalid(child(path, 'generation'), meta.generation, 'must be greater than or equal to 0'));
  }
  const labelsPath = child(path, 'labels');
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(labelsPath, k, msg));
    for (const msg of isLabelValue(v)) errs.push(invalid(labelsPath, v, msg));
  }
  const annotationsPath = child(path, 'annotations');
  let size = 0;
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(annotationsPath, k, msg));
    size += new TextEncoder().encode(k).length + new TextEncoder().encode(v).length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    errs.push({
      field: annotationsPath,
      type: 'TooLong',
      detail: `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT_B} bytes`,
    });
  }
  return errs;
}
