import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LuaVM } from './vm.js';
import { orderTableConstructors } from './ordered.js';

describe('orderTableConstructors', () => {
  const cases: { name: string; src: string; want: string }[] = [
    { name: 'an empty constructor', src: 'local t = {}', want: 'local t = __kts_t({})' },
    { name: 'named fields in order', src: 'return {b = 1, a = 2, 3}', want: 'return __kts_t({b = 1, a = 2, 3}, "b", "a")' },
    { name: 'a bracketed literal key', src: `x = {["z-1"] = 1, [k] = 2, ['y'] = 3}`, want: `x = __kts_t({["z-1"] = 1, [k] = 2, ['y'] = 3}, "z-1", "y")` },
    { name: 'nested constructors', src: 'x = {a = {c = 1}, b = 2}', want: 'x = __kts_t({a = __kts_t({c = 1}, "c"), b = 2}, "a", "b")' },
    { name: 'a call with a table argument', src: 'f{a = 1}', want: 'f(__kts_t({a = 1}, "a"))' },
    { name: 'a method call with a table argument', src: 'o:m{}', want: 'o:m(__kts_t({}))' },
    { name: 'a call with parentheses is left alone', src: 'f({a = 1})', want: 'f(__kts_t({a = 1}, "a"))' },
    { name: 'an == comparison is no field', src: 'x = {a == b}', want: 'x = __kts_t({a == b})' },
    {
      name: 'assignments inside a function value are not fields',
      src: 'x = {f = function(a) local p, q = 1, 2 if a then r = 1 end return p end, g = 1}',
      want: 'x = __kts_t({f = function(a) local p, q = 1, 2 if a then r = 1 end return p end, g = 1}, "f", "g")',
    },
    { name: 'braces in strings and comments stay', src: `s = "{a=1}" -- {b=2}\nt = [[{c=3}]] --[==[ { ]==]`, want: `s = "{a=1}" -- {b=2}\nt = [[{c=3}]] --[==[ { ]==]` },
    { name: 'an index expression inside a field value', src: 'x = {a = t[1], b = (1)}', want: 'x = __kts_t({a = t[1], b = (1)}, "a", "b")' },
    { name: 'line breaks are kept', src: 'x = {\n  a = 1,\n  b = 2,\n}', want: 'x = __kts_t({\n  a = 1,\n  b = 2,\n}, "a", "b")' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(orderTableConstructors(c.src), c.want));
});

describe('tables a script builds iterate in insertion order (gopher-lua)', () => {
  const run = async (script: string, ...args: unknown[]) => {
    const vm = await LuaVM.create();
    try {
      return vm.call(vm.compile('t', script), 'F', args);
    } finally {
      vm.close();
    }
  };
  const keysScript = (build: string) => `function F()
  ${build}
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  return table.concat(keys, ",")
end`;
  const cases: { name: string; build: string; want: string }[] = [
    { name: 'keys set one by one', build: 'local t = {} t.zeta = 1 t.alpha = 2 t.mid = 3 t.beta = 4 t.omega = 5', want: 'zeta,alpha,mid,beta,omega' },
    { name: 'constructor fields, then more', build: 'local t = {zeta = 1, alpha = 2} t.mid = 3 t["beta"] = 4', want: 'zeta,alpha,mid,beta' },
    { name: 'the array part first', build: 'local t = {} t.b = 1 t[1] = "x" t.a = 2 t[2] = "y"', want: '1,2,b,a' },
    { name: 'a key set again keeps its place', build: 'local t = {} t.b = 1 t.a = 2 t.b = nil t.c = 3 t.b = 4', want: 'b,a,c' },
    { name: 'rawset keys come last', build: 'local t = {} t.b = 1 rawset(t, "a", 2) t.c = 3', want: 'b,c,a' },
  ];
  for (const c of cases) test(c.name, async () => assert.deepEqual(await run(keysScript(c.build)), [c.want]));

  test('a result built in a script is encoded in insertion order too', async () => {
    const [out] = await run('function F() local s = {} s.zeta = 1 s.alpha = {} s.alpha.y = 1 s.alpha.x = 2 return s end');
    assert.deepEqual(Object.keys(out as object), ['zeta', 'alpha']);
    assert.deepEqual(Object.keys((out as { alpha: object }).alpha), ['y', 'x']);
  });

  test('arrays built in a script stay arrays', async () => {
    assert.deepEqual(await run('function F() local a = {} for i = 1, 3 do table.insert(a, i * 10) end return a, {}, {1, 2} end'), [[10, 20, 30], {}, [1, 2]]);
  });
});
