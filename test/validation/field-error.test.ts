import { describe, expect, it } from 'vitest';
import {
  duplicate,
  type FieldError,
  forbidden,
  invalid,
  jsonValue,
  notSupported,
  renderAggregate,
  renderError,
  required,
  toJsonError,
} from '../../src/validation/field-error.ts';

// k8s.io/apimachinery/pkg/util/validation/field/errors.go#ErrorBody and util/errors#aggregate.Error.
describe('renderError: apimachinery field.Error text', () => {
  it.each<[FieldError, string]>([
    [
      invalid('spec.maxReplicas', 0, 'must be greater than 0'),
      'spec.maxReplicas: Invalid value: 0: must be greater than 0',
    ],
    [
      invalid('spec.rules[0].schedule', '0 0 13 *', 'invalid cron format'),
      'spec.rules[0].schedule: Invalid value: "0 0 13 *": invalid cron format',
    ],
    [invalid('spec.rules[0].targetReplicas', '', 'x'), 'spec.rules[0].targetReplicas: Invalid value: "": x'],
    [
      invalid('a.b', jsonValue(-1), 'must be greater than or equal to zero'),
      'a.b: Invalid value: -1: must be greater than or equal to zero',
    ],
    [
      invalid('a.tz', jsonValue('A/B'), 'unknown time zone A/B'),
      'a.tz: Invalid value: "A/B": unknown time zone A/B',
    ],
    [required('spec.scaleTargetRef.kind'), 'spec.scaleTargetRef.kind: Required value'],
    [
      required('spec.metrics[0].type', 'must specify a metric source type'),
      'spec.metrics[0].type: Required value: must specify a metric source type',
    ],
    [
      forbidden('spec.metrics[0].pods', 'must populate the given metric source only'),
      'spec.metrics[0].pods: Forbidden: must populate the given metric source only',
    ],
    [duplicate('spec.rules[1].name', 'bar'), 'spec.rules[1].name: Duplicate value: "bar"'],
    [
      notSupported('x.selectPolicy', jsonValue('Foo'), ['Disabled', 'Max', 'Min']),
      'x.selectPolicy: Unsupported value: "Foo": supported values: "Disabled", "Max", "Min"',
    ],
    [
      { field: 'metadata.annotations', type: 'TooLong', detail: 'may not be more than 262144 bytes' },
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ],
  ])('%#', (e, text) => {
    expect(renderError(e)).toBe(text);
    const j = toJsonError(e);
    expect(`${j.field}: ${j.message}`).toBe(text);
  });
});

describe('renderAggregate: ErrorList.ToAggregate().Error()', () => {
  const a = invalid('a', 1, 'x');
  const b = required('b');
  it('is empty for no errors, the error alone for one, brackets for several', () => {
    expect(renderAggregate([])).toBe('');
    expect(renderAggregate([a])).toBe('a: Invalid value: 1: x');
    expect(renderAggregate([a, b])).toBe('[a: Invalid value: 1: x, b: Required value]');
  });
  it('keeps identical texts once, without brackets when one remains', () => {
    expect(renderAggregate([a, b, a])).toBe('[a: Invalid value: 1: x, b: Required value]');
    expect(renderAggregate([a, a])).toBe('a: Invalid value: 1: x');
  });
});
