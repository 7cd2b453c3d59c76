// How a field error quotes the offending value (apimachinery's field.Error.Error(): `path: Invalid value: V: detail`),
// with fhpa's bounds: a value is shown to be recognised, not echoed in full, and a value too deep to
// stringify is named instead of crashing the webhook or `fhpa validate` (found by the fuzz benchmark).
import { describe, expect, it } from 'vitest';
import { invalid, jsonValue, renderError } from '../../src/validation/field-error.ts';

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('renderError', () => {
  it.each([
    [
      invalid('spec.maxReplicas', 0, 'must be greater than 0'),
      'spec.maxReplicas: Invalid value: 0: must be greater than 0',
    ],
    [invalid('metadata.name', 'a_b', 'bad'), 'metadata.name: Invalid value: "a_b": bad'],
    [invalid('spec.x', jsonValue({ a: 1 }), 'bad'), 'spec.x: Invalid value: {"a":1}: bad'],
  ])('quotes the value as Kubernetes does: %j', (e, text) => {
    expect(renderError(e)).toBe(text);
  });

  it('cuts a long value at 1 KiB', () => {
    const text = renderError(invalid('spec.scaleTargetRef.name', 'n'.repeat(5_000), 'too long'));
    expect(text).toBe(`spec.scaleTargetRef.name: Invalid value: "${'n'.repeat(1023)}...: too long`);
  });

  it('names a value too deeply nested to stringify rather than throwing', () => {
    const text = renderError(invalid('request.object.kind', jsonValue(nested(200_000)), 'must be a string'));
    expect(text).toBe(
      'request.object.kind: Invalid value: <value too deeply nested to show>: must be a string',
    );
  });
});
