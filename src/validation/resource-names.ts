import { type FieldError, invalid } from './field-error.ts';
import { isQualifiedName } from './names.ts';

// Resource names of containerResource metrics: pkg/util/lifted/corehelpers.go#ValidateContainerResourceName
// and corevalidation.go#validateResourceName (lifted from Kubernetes release-1.26 pkg/apis/core).

// standardResources (corehelpers.go): names valid without a domain prefix.
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

const isHugePage = (name: string): boolean => name.startsWith('hugepages-');
const isQuotaHugePage = (name: string): boolean =>
  name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
// IsNativeResource: unprefixed, or in a *kubernetes.io/ domain.
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');

function isExtendedResourceName(name: string): boolean {
  if (isNative(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

function validateResourceName(value: string, path: string): FieldError[] {
  const errs = isQualifiedName(value).map((msg) => invalid(path, value, msg));
  if (errs.length > 0) return errs;
  if (!value.includes('/') && !STANDARD_RESOURCES.has(value) && !isQuotaHugePage(value)) {
    return [invalid(path, value, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

/** Errors of validateResourceName, then the container-specific one (both can appear). */
export function validateContainerResourceName(value: string, path: string): FieldError[] {
  const errs = validateResourceName(value, path);
  if (!value.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(value) && !isHugePage(value)) {
      errs.push(invalid(path, value, 'must be a standard resource for containers'));
    }
  } else if (!isNative(value) && !isExtendedResourceName(value)) {
    errs.push(invalid(path, value, "doesn't follow extended resource name standard"));
  }
  return errs;
}
