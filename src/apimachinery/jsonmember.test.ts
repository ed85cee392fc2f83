import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topLevelMember, withoutTopLevelMember } from './jsonmember.js';

test('topLevelMember cuts out one member as JSON.parse would read it', () => {
  const cases: { json: string; name: string; want: string | undefined }[] = [
    { json: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a","uid":"u"},"data":{}}', name: 'metadata', want: '{"name":"a","uid":"u"}' },
    { json: '{"spec":{"x":[1,{"y":"}]{["}],"s":"a\\"}"},"metadata":{"name":"b"}}', name: 'metadata', want: '{"name":"b"}' },
    { json: '{"a":"x\\\\","metadata":{"k":"\\\\\\""}}', name: 'metadata', want: '{"k":"\\\\\\""}' },
    { json: ' { "n" : 12 , "metadata" : [ 1 , 2 ] , "z" : null } ', name: 'metadata', want: '[ 1 , 2 ]' },
    { json: '{"n":-1.5e3,"metadata":true}', name: 'metadata', want: 'true' },
    { json: '{"n":null,"metadata":"s"}', name: 'metadata', want: '"s"' },
    { json: '{"metad\\u0061ta":{"a":1}}', name: 'metadata', want: '{"a":1}' },
    { json: '{"spec":{"metadata":{"nested":true}}}', name: 'metadata', want: undefined },
    { json: '{}', name: 'metadata', want: undefined },
    { json: '[{"metadata":{}}]', name: 'metadata', want: undefined },
    { json: '{"a":{"b":1}', name: 'metadata', want: undefined },
    { json: '{"metadata":{"name":"cut', name: 'metadata', want: undefined },
    { json: '{"a":1 "metadata":{}}', name: 'metadata', want: undefined },
    { json: '', name: 'metadata', want: undefined },
  ];
  for (const c of cases) {
    const got = topLevelMember(c.json, c.name);
    assert.equal(got, c.want, c.json);
    if (got !== undefined) assert.deepEqual(JSON.parse(got), JSON.parse(c.json)[c.name], c.json);
  }
});

test('withoutTopLevelMember leaves out one member and keeps the rest as JSON.parse would read it', () => {
  const cases: { json: string; want: string | undefined }[] = [
    { json: '{"name":"a","managedFields":[{"f":{"k:{\\"a\\":1}":{}}}],"uid":"u"}', want: '{"name":"a","uid":"u"}' },
    { json: '{"managedFields":[],"name":"a"}', want: '{"name":"a"}' },
    { json: '{"name":"a","managedFields":[{"x":"]}"}]}', want: '{"name":"a"}' },
    { json: '{"managedFields":{}}', want: '{}' },
    { json: ' { "name" : "a" , "managedFields" : [ ] , "uid" : "u" } ', want: ' { "name" : "a" , "uid" : "u" } ' },
    { json: '{ "managedFields" : 1 , "uid" : "u" }', want: '{ "uid" : "u" }' },
    { json: '{"spec":{"managedFields":[]},"name":"a"}', want: '{"spec":{"managedFields":[]},"name":"a"}' },
    { json: '{"name":"a"}', want: '{"name":"a"}' },
    { json: '{}', want: '{}' },
    { json: '{"managedFields":[1],"managedFields":[2]}', want: '{"managedFields":[2]}' },
    { json: '{"name":"a","managedFields":[', want: undefined },
    { json: '{"name":"a",}', want: undefined },
    { json: '{"name":"a" "managedFields":[]}', want: undefined },
    { json: '[{"managedFields":[]}]', want: undefined },
    { json: '', want: undefined },
  ];
  for (const c of cases) {
    const got = withoutTopLevelMember(c.json, 'managedFields');
    assert.equal(got, c.want, c.json);
    if (got !== undefined && !c.json.includes('"managedFields":[1]')) {
      const { managedFields: _gone, ...rest } = JSON.parse(c.json) as Record<string, unknown>;
      assert.deepEqual(JSON.parse(got), rest, c.json);
    }
  }
});
