import type { CrossVersionObjectReference, MetricSpec, MetricTarget } from '../api/autoscaling-v2.ts';
import {
  child,
  type FieldError,
  forbidden,
  invalid,
  jsonValue,
  notSupported,
  required,
} from './field-error.ts';
import { isDNS1123Label, isValidPathSegmentName } from './names.ts';
import { isQuantityPositive, renderQuantity } from './quantity-sign.ts';
import { validateContainerResourceName } from './resource-names.ts';

// spec.metrics[i], as pkg/util/lifted/validatingfhpa.go#validateMetricSpec and the source validators it
// calls (lifted from Kubernetes release-1.27 pkg/apis/autoscaling/validation/validation.go).
//
// Departure: Karmada's list of metric source types leaves out External ("TODO: Karmada do not support
// ExternalMetricSourceType currently"). fhpa reads External metrics, so it accepts the type and validates
// the source as Kubernetes' validateExternalSource does, and names it among the supported values.

export const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'] as const;
/** validMetricSourceTypesList as Karmada ships it (stock webhook): no External. */
export const KARMADA_METRIC_SOURCE_TYPES = ['ContainerResource', 'Object', 'Pods', 'Resource'] as const;

/** ValidateCrossVersionObjectReference. */
export function validateCrossVersionObjectReference(
  ref: CrossVersionObjectReference,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name'] as const) {
    const v = ref[key];
    if (v === '') errs.push(required(child(path, key)));
    else for (const msg of isValidPathSegmentName(v)) errs.push(invalid(child(path, key), v, msg));
  }
  return errs;
}

function validateMetricIdentifier(name: string, path: string): FieldError[] {
  const p = child(path, 'name');
  if (name === '') return [required(p, 'must specify a metric name')];
  return isValidPathSegmentName(name).map((msg) => invalid(p, name, msg));
}

function validateMetricTarget(t: MetricTarget, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (t.type === '') errs.push(required(child(path, 'type'), 'must specify a metric target type'));
  if (t.type !== 'Utilization' && t.type !== 'Value' && t.type !== 'AverageValue') {
    // MetricTargetType is a named string type: Go renders it JSON-encoded, which reads the same.
    errs.push(
      invalid(child(path, 'type'), jsonValue(t.type), 'must be either Utilization, Value, or AverageValue'),
    );
  }
  for (const key of ['value', 'averageValue'] as const) {
    const q = t[key];
    if (q !== undefined && !isQuantityPositive(q)) {
      errs.push(invalid(child(path, key), jsonValue(renderQuantity(q)), 'must be positive'));
    }
  }
  if (t.averageUtilization !== undefined && t.averageUtilization < 1) {
    errs.push(
      invalid(child(path, 'averageUtilization'), jsonValue(t.averageUtilization), 'must be greater than 0'),
    );
  }
  return errs;
}

/** The either/both rule shared by resource and containerResource sources. */
function utilizationOrValue(t: MetricTarget, targetPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (t.averageUtilization === undefined && t.averageValue === undefined) {
    errs.push(
      required(
        child(targetPath, 'averageUtilization'),
        'must set either a target raw value or a target utilization',
      ),
    );
  }
  if (t.averageUtilization !== undefined && t.averageValue !== undefined) {
    errs.push(
      forbidden(
        child(targetPath, 'averageValue'),
        'may not set both a target raw value and a target utilization',
      ),
    );
  }
  return errs;
}

type Sources = Required<Pick<MetricSpec, 'object' | 'external' | 'pods' | 'resource' | 'containerResource'>>;

const VALIDATE_SOURCE: { [K in keyof Sources]: (src: Sources[K], path: string) => FieldError[] } = {
  object: (src, path) => {
    const target = child(path, 'target');
    const errs = [
      ...validateCrossVersionObjectReference(src.describedObject, child(path, 'describedObject')),
      ...validateMetricIdentifier(src.metric.name, child(path, 'metric')),
      ...validateMetricTarget(src.target, target),
    ];
    if (src.target.value === undefined && src.target.averageValue === undefined) {
      errs.push(required(child(target, 'averageValue'), 'must set either a target value or averageValue'));
    }
    return errs;
  },
  // Kubernetes' validateExternalSource (not in Karmada; see the departure above).
  external: (src, path) => {
    const target = child(path, 'target');
    const errs = [
      ...validateMetricIdentifier(src.metric.name, child(path, 'metric')),
      ...validateMetricTarget(src.target, target),
    ];
    if (src.target.value === undefined && src.target.averageValue === undefined) {
      errs.push(
        required(
          child(target, 'averageValue'),
          'must set either a target value for metric or a per-pod target',
        ),
      );
    }
    if (src.target.value !== undefined && src.target.averageValue !== undefined) {
      errs.push(
        forbidden(child(target, 'value'), 'may not set both a target value for metric and a per-pod target'),
      );
    }
    return errs;
  },
  pods: (src, path) => {
    const target = child(path, 'target');
    const errs = [
      ...validateMetricIdentifier(src.metric.name, child(path, 'metric')),
      ...validateMetricTarget(src.target, target),
    ];
    if (src.target.averageValue === undefined) {
      errs.push(required(child(target, 'averageValue'), 'must specify a positive target averageValue'));
    }
    return errs;
  },
  resource: (src, path) => {
    const errs: FieldError[] = [];
    if (src.name === '') errs.push(required(child(path, 'name'), 'must specify a resource name'));
    errs.push(...validateMetricTarget(src.target, child(path, 'target')));
    errs.push(...utilizationOrValue(src.target, child(path, 'target')));
    return errs;
  },
  containerResource: (src, path) => {
    const errs: FieldError[] = [];
    if (src.name === '') errs.push(required(child(path, 'name'), 'must specify a resource name'));
    else errs.push(...validateContainerResourceName(src.name, child(path, 'name')));
    if (src.container === '') errs.push(required(child(path, 'container'), 'must specify a container'));
    else
      errs.push(
        ...isDNS1123Label(src.container).map((m) => invalid(child(path, 'container'), src.container, m)),
      );
    errs.push(...validateMetricTarget(src.target, child(path, 'target')));
    errs.push(...utilizationOrValue(src.target, child(path, 'target')));
    return errs;
  },
};

// Kubernetes visits the sources in this order and deep-validates only the first one present.
const SOURCE_ORDER = ['object', 'external', 'pods', 'resource', 'containerResource'] as const;
const FIELD_FOR_TYPE: Record<string, keyof Sources> = {
  Object: 'object',
  External: 'external',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
};

/**
 * `stock`: Karmada's webhook exactly as shipped, without fhpa's External departure: the type is not supported
 * and `external` is neither validated nor counted as a present source (validatingfhpa.go never looks at it).
 */
export function validateMetricSpec(spec: MetricSpec, path: string, stock = false): FieldError[] {
  const errs: FieldError[] = [];
  const types = stock ? KARMADA_METRIC_SOURCE_TYPES : METRIC_SOURCE_TYPES;
  const typePath = child(path, 'type');
  if (spec.type === '') errs.push(required(typePath, 'must specify a metric source type'));
  const expected = stock && spec.type === 'External' ? undefined : FIELD_FOR_TYPE[spec.type];
  if (expected === undefined) errs.push(notSupported(typePath, jsonValue(spec.type), types));

  const present = SOURCE_ORDER.filter((k) => spec[k] !== undefined && !(stock && k === 'external'));
  const first = present[0];
  if (first !== undefined) {
    const validate = VALIDATE_SOURCE[first] as (src: unknown, p: string) => FieldError[];
    errs.push(...validate(spec[first], child(path, first)));
  }

  if (expected === undefined) {
    // The switch's default case reports the type again; the aggregate text de-duplicates it.
    errs.push(notSupported(typePath, jsonValue(spec.type), types));
  } else if (spec[expected] === undefined) {
    errs.push(required(child(path, expected), 'must populate information for the given metric source'));
  }
  // Go ranges over a set here (random order); fhpa reports in the visiting order.
  if (present.length !== 1) {
    for (const k of present)
      if (k !== expected) errs.push(forbidden(child(path, k), 'must populate the given metric source only'));
  }
  return errs;
}
