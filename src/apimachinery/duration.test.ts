import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { humanAge, humanDuration, shortHumanDuration } from './duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration (apimachinery HumanDuration)', () => {
  const cases: [string, number, string][] = [
    ['2s in the future is invalid', -2 * s, '<invalid>'],
    ['1.5s in the future is now', -1500, '0s'],
    ['sub-second is 0s', 999, '0s'],
    ['seconds below 2m', 119 * s, '119s'],
    ['2m exactly drops seconds', 2 * m, '2m'],
    ['below 10m shows seconds', 9 * m + 59 * s, '9m59s'],
    ['10m drops seconds', 10 * m + 30 * s, '10m'],
    ['below 3h is minutes', 3 * h - 1, '179m'],
    ['3h exactly', 3 * h, '3h'],
    ['below 8h shows minutes', 7 * h + 5 * m, '7h5m'],
    ['8h drops minutes', 8 * h + 5 * m, '8h'],
    ['below 48h is hours', 47 * h + 59 * m, '47h'],
    ['2d exactly', 2 * d, '2d'],
    ['below 8d shows hours', 7 * d + 23 * h, '7d23h'],
    ['8d drops hours', 8 * d + 5 * h, '8d'],
    ['below 2y is days', 2 * y - d, '729d'],
    ['2y exactly', 2 * y, '2y'],
    ['below 8y shows days', 3 * y + 10 * d, '3y10d'],
    ['8y and beyond is years', 9 * y + 10 * d, '9y'],
  ];
  for (const [name, ms, want] of cases) test(`${name}: ${want}`, () => assert.equal(humanDuration(ms), want));
});

describe('shortHumanDuration', () => {
  const cases: [number, string][] = [
    [-5 * s, '<invalid>'],
    [-1 * s, '0s'],
    [59 * s, '59s'],
    [90 * s, '1m'],
    [59 * m, '59m'],
    [23 * h, '23h'],
    [364 * d, '364d'],
    [800 * d, '2y'],
  ];
  for (const [ms, want] of cases) test(`${ms}ms → ${want}`, () => assert.equal(shortHumanDuration(ms), want));
});

test('humanAge of a timestamp', () => {
  const now = new Date('2024-01-01T01:00:00Z');
  assert.equal(humanAge('2024-01-01T00:55:00Z', now), '5m');
  assert.equal(humanAge(undefined, now), '<unknown>');
});
