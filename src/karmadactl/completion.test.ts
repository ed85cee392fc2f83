import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { completionOutput, completionScript, completionTarget, type CompletionTarget } from './completion.js';

describe('completionTarget', () => {
  const cases: [string, string[], CompletionTarget, string][] = [
    ['a type after get', ['get', ''], { kind: 'types' }, ''],
    ['a type prefix', ['get', 'depl'], { kind: 'types' }, 'depl'],
    ['a name after the type', ['get', 'deploy', ''], { kind: 'names', type: 'deploy', namespace: undefined }, ''],
    ['a name in the namespace -n names', ['describe', '-n', 'team-a', 'deploy', 'w'], { kind: 'names', type: 'deploy', namespace: 'team-a' }, 'w'],
    ['--namespace=ns before the command', ['--namespace=prod', 'delete', 'cm', ''], { kind: 'names', type: 'cm', namespace: 'prod' }, ''],
    ['TYPE/NAME form', ['get', 'deploy/we'], { kind: 'names', type: 'deploy', namespace: undefined, slashPrefix: 'deploy/' }, 'deploy/we'],
    ['several types: no names', ['get', 'deploy,svc', ''], { kind: 'none' }, ''],
    ['a flag value is not the type', ['get', '-o', 'yaml', ''], { kind: 'types' }, ''],
    ['a cluster for unjoin', ['unjoin', 'mem'], { kind: 'clusters' }, 'mem'],
    ['taint: the word clusters first', ['taint', ''], { kind: 'words', words: ['clusters'] }, ''],
    ['taint: then a cluster', ['taint', 'clusters', ''], { kind: 'clusters' }, ''],
    ['a command without dynamic arguments', ['join', ''], { kind: 'none' }, ''],
    ['no command yet', [''], { kind: 'none' }, ''],
  ];
  for (const [name, words, target, prefix] of cases) test(name, () => assert.deepEqual(completionTarget(words), { target, prefix }));
});

test('completionOutput: the candidates with the prefix, sorted and unique, then cobra\'s no-file directive', () => {
  assert.equal(completionOutput(['web', 'api', 'web', 'worker'], 'w'), 'web\nworker\n:4\n');
  assert.equal(completionOutput([], ''), ':4\n');
});

test('the bash script asks __complete for what follows a command', () => {
  const script = completionScript('bash', 'karmadactl', [{ name: 'get', flags: ['--namespace'] }]);
  assert.match(script, /karmadactl __complete "\$\{COMP_WORDS\[@\]:1:COMP_CWORD\}"/);
});
