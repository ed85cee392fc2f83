import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  quantityNumber,
  resourceAmount,
  addQuantities,
  canonicalQuantity,
  compareQuantities,
  errFormatWrong,
  errSuffix,
  milliValue,
  multiplyQuantity,
  parseQuantity,
  QuantityError,
  quantityFrom,
  quantityValue,
  subtractQuantities,
  tryParseQuantity,
} from './quantity.js';

describe('canonical form (Quantity.String)', () => {
  const cases: [string, string, string][] = [
    ['milli-cores stay milli', '100m', '100m'],
    ['fractions become milli', '0.5', '500m'],
    ['1.5 cores', '1.5', '1500m'],
    ['binary with a remainder drops a unit', '1.5Gi', '1536Mi'],
    ['binary whole', '2Gi', '2Gi'],
    ['binary below 1024 prints decimal', '0.5Ki', '512'],
    ['binary not whole prints decimal', '1.5', '1500m'],
    ['plain bytes keep digits', '128974848', '128974848'],
    ['decimal SI', '129M', '129M'],
    ['exponent keeps exponent form', '129e6', '129e6'],
    ['2e3 stays exponent', '2e3', '2e3'],
    ['exponent without a multiple of 3', '1e1', '10'],
    ['kilo', '1k', '1k'],
    ['1000 is not shortened', '1000', '1k'],
    ['1500 stays as digits', '1500', '1500'],
    ['Mi to Mi', '123Mi', '123Mi'],
    ['1024Ki becomes 1Mi', '1024Ki', '1Mi'],
    ['negative', '-100m', '-100m'],
    ['leading plus', '+1', '1'],
    ['zero', '0', '0'],
    ['zero with suffix', '0Mi', '0'],
    ['below nano rounds up', '0.1n', '1n'],
    ['micro', '5u', '5u'],
    ['exa', '2E', '2E'],
    ['capital E exponent', '1E3', '1e3'],
    ['.5 without integer part', '.5', '500m'],
  ];
  for (const [name, input, want] of cases) test(`${name}: ${input} → ${want}`, () => assert.equal(canonicalQuantity(input), want));
});

describe('bad quantities', () => {
  const cases: [string, string][] = [
    ['', errFormatWrong],
    ['abc', errFormatWrong],
    ['1 Gi', errFormatWrong],
    ['1x', errFormatWrong],
    ['1ki', errSuffix],
    ['1Gb', errFormatWrong],
    ['1e', errSuffix],
  ];
  for (const [input, msg] of cases) {
    test(`${JSON.stringify(input)} → ${msg.slice(0, 30)}…`, () => {
      assert.throws(() => parseQuantity(input), (e: unknown) => e instanceof QuantityError && e.message === msg && e.input === input);
    });
  }
  test('tryParseQuantity returns undefined', () => assert.equal(tryParseQuantity('nope'), undefined));
});

describe('values and arithmetic', () => {
  const q = parseQuantity;
  test('milliValue', () => {
    assert.equal(milliValue(q('1.5')), 1500);
    assert.equal(milliValue(q('100m')), 100);
    assert.equal(milliValue(q('1n')), 1, 'rounds up');
    assert.equal(milliValue(q('1Ki')), 1024000);
  });
  test('value rounds up', () => {
    assert.equal(quantityValue(q('1500m')), 2);
    assert.equal(quantityValue(q('1Gi')), 1073741824);
  });
  test('compare across formats', () => {
    assert.equal(compareQuantities(q('1Gi'), q('1G')), 1);
    assert.equal(compareQuantities(q('1000m'), q('1')), 0);
    assert.equal(compareQuantities(q('100m'), q('0.2')), -1);
  });
  test('add keeps the first format', () => {
    assert.equal(canonicalQuantity('1Gi'), '1Gi');
    const sum = addQuantities(q('1Gi'), q('512Mi'));
    assert.equal(sum.format, 'BinarySI');
    assert.equal(milliValue(sum), 1610612736000);
  });
  test('add to zero takes the other format', () => assert.equal(addQuantities(q('0'), q('1Ki')).format, 'BinarySI'));
  test('subtract', () => assert.equal(milliValue(subtractQuantities(q('1'), q('250m'))), 750));
  test('multiply by an integer', () => {
    assert.equal(milliValue(multiplyQuantity(q('250m'), 3)), 750);
    assert.throws(() => multiplyQuantity(q('1'), 1.5), RangeError);
  });
  test('numbers from JSON', () => assert.equal(milliValue(quantityFrom(2)), 2000));
});

describe('amounts for comparisons (resourceAmount, quantityNumber)', () => {
  const cases: [string | number | undefined, number, number][] = [
    ['500m', 1, 500],
    ['2', 2, 2000],
    ['0.1', 1, 100],
    ['1Gi', 2 ** 30, 2 ** 30 * 1000],
    ['1k', 1000, 1e6],
    ['1e3', 1000, 1e6],
    ['1.5Mi', 1.5 * 2 ** 20, 1.5 * 2 ** 20 * 1000],
    [3, 3, 3000],
    [undefined, 0, 0],
  ];
  for (const [q, value, milli] of cases) {
    test(`${q} is ${value} (Value) and ${milli} (MilliValue)`, () => {
      assert.equal(resourceAmount('memory', q), value);
      assert.equal(resourceAmount('cpu', q), milli);
    });
  }
  test('malformed is NaN, never a throw', () => {
    assert.ok(Number.isNaN(resourceAmount('cpu', 'lots')));
    assert.ok(Number.isNaN(quantityNumber('1.5.5')));
  });
  test('base units as a float', () => {
    assert.equal(quantityNumber('250m'), 0.25);
    assert.equal(quantityNumber('2Ki'), 2048);
    assert.equal(quantityNumber(undefined), 0);
  });
});
