import { describe, expect, it } from 'vitest';
import { findUnknownVariables, renderTemplate, shellVariables } from './render-template';

describe('lab variables', () => {
  it('substitutes known names and reports unknown ones with their line', () => {
    const text = 'Gateway {{ gw }}\nand {{gw}} and\n{{ nope }}';
    expect(renderTemplate(text, { gw: '10.0.0.1' })).toBe('Gateway 10.0.0.1\nand 10.0.0.1 and\n{{ nope }}');
    expect(findUnknownVariables(text, { gw: 'x' })).toEqual([{ name: 'nope', line: 3 }]);
  });

  it('quotes values for the shell so a value cannot run code', () => {
    expect(shellVariables({ a: "it's $(id)" })).toBe(`a='it'\\''s $(id)'`);
  });
});
