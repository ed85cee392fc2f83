import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unifiedDiff } from './diff.js';

test('unifiedDiff: as diff -u prints it', () => {
  const cases: { name: string; a: string; b: string; want: string }[] = [
    { name: 'equal', a: 'x\ny\n', b: 'x\ny\n', want: '' },
    { name: 'one line changed', a: 'a\nb\nc\n', b: 'a\nB\nc\n', want: '--- t\n+++ m\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n' },
    { name: 'added at the end', a: 'a\n', b: 'a\nb\n', want: '--- t\n+++ m\n@@ -1,1 +1,2 @@\n a\n+b\n' },
    { name: 'from nothing', a: '', b: 'a\n', want: '--- t\n+++ m\n@@ -0,0 +1,1 @@\n+a\n' },
    {
      name: 'two hunks far apart',
      a: '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n',
      b: '0\n2\n3\n4\n5\n6\n7\n8\n9\nX\n',
      want: '--- t\n+++ m\n@@ -1,4 +1,4 @@\n-1\n+0\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+X\n',
    },
    { name: 'close changes share a hunk', a: '1\n2\n3\n4\n', b: 'A\n2\n3\nD\n', want: '--- t\n+++ m\n@@ -1,4 +1,4 @@\n-1\n+A\n 2\n 3\n-4\n+D\n' },
  ];
  for (const c of cases) assert.equal(unifiedDiff(c.a, c.b, 't', 'm'), c.want, c.name);
});
