// Lua side of the bridge: a small JSON codec (objects cross the JS/Lua boundary as JSON text, so
// the conversion rules are ours, not the VM binding's), a sandbox per script, and the call
// dispatcher with an instruction budget.
export const prelude = String.raw`
local json = {}
local array_mt = { __jsontype = "array" }
-- gopher-lua's pairs() visits string keys in insertion order; Lua 5.4 uses hash order. Decoded
-- objects remember the order their keys were set in, and __pairs follows it.
local key_order = setmetatable({}, { __mode = "k" })
local object_mt = { __jsontype = "object" }
object_mt.__newindex = function(t, k, v)
  if v ~= nil then
    local order = key_order[t]
    if not order then order = {}; key_order[t] = order end
    order[#order + 1] = k
  end
  rawset(t, k, v)
end
-- visits the keys already in keys, then the recorded string keys in the order they were set,
-- then any other key; a key removed meanwhile is skipped
local function pairs_in_order(t, keys, seen)
  for _, k in ipairs(key_order[t] or {}) do
    if not seen[k] and rawget(t, k) ~= nil then seen[k] = true; keys[#keys + 1] = k end
  end
  for k in next, t do
    if not seen[k] then seen[k] = true; keys[#keys + 1] = k end
  end
  local i = 0
  return function()
    while true do
      i = i + 1
      local k = keys[i]
      if k == nil then return nil end
      local v = rawget(t, k)
      if v ~= nil then return k, v end
    end
  end, t, nil
end
object_mt.__pairs = function(t)
  return pairs_in_order(t, {}, {})
end
-- tables a script builds (every constructor goes through __kts_t, see ordered.ts): string keys in
-- the order they were set, as gopher-lua; the array part first, as gopher-lua's Next
local ordered_mt = {}
ordered_mt.__newindex = object_mt.__newindex
ordered_mt.__pairs = function(t)
  local keys, seen = {}, {}
  for i = 1, #t do keys[i] = i; seen[i] = true end
  return pairs_in_order(t, keys, seen)
end
local function ordered_table(t, ...)
  local n = select("#", ...)
  if n > 0 then key_order[t] = { ... } end
  return setmetatable(t, ordered_mt)
end
json.array_mt = array_mt
json.object_mt = object_mt
json.null = setmetatable({}, { __tostring = function() return "null" end })

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function enc_string(s)
  local out = s:gsub('[%c"\\]', function(c) return escapes[c] or string.format('\\u%04x', c:byte()) end)
  return '"' .. out .. '"'
end

local function enc_number(n)
  if math.type(n) == "integer" then return string.format("%d", n) end
  if n ~= n or n == math.huge or n == -math.huge then return "null" end
  if n == math.floor(n) and math.abs(n) < 2^53 then return string.format("%d", math.tointeger(n)) end
  local s = string.format("%.14g", n)
  if tonumber(s) ~= n then s = string.format("%.17g", n) end
  return s
end

local function table_kind(t)
  local mt = getmetatable(t)
  if mt == array_mt then return "array" end
  if mt == object_mt then return "object" end
  local n = 0
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 then return "object" end
    n = n + 1
  end
  if n == 0 then return "object" end
  for i = 1, n do if t[i] == nil then return "object" end end
  return "array"
end

local encode
encode = function(v, depth)
  if depth > 100 then error("json: nesting too deep (a cycle?)", 0) end
  local t = type(v)
  if v == nil or v == json.null then return "null" end
  if t == "boolean" then return v and "true" or "false" end
  if t == "number" then return enc_number(v) end
  if t == "string" then return enc_string(v) end
  if t ~= "table" then error("json: cannot encode a " .. t, 0) end
  local parts = {}
  if table_kind(v) == "array" then
    for i = 1, #v do parts[i] = encode(v[i], depth + 1) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  for k, val in pairs(v) do
    if type(val) ~= "function" then
      parts[#parts + 1] = enc_string(tostring(k)) .. ":" .. encode(val, depth + 1)
    end
  end
  return "{" .. table.concat(parts, ",") .. "}"
end
function json.encode(v) return encode(v, 0) end

local function derr(i, msg) error(string.format("json: %s at position %d", msg, i), 0) end
local function skip(s, i)
  local _, e = s:find("^[ \n\r\t]*", i)
  return e + 1
end
local unescape = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ['\\'] = '\\', ['/'] = '/' }

local function dec_string(s, i)
  local buf, j = {}, i + 1
  while true do
    local p = s:find('["\\]', j)
    if not p then derr(i, "unterminated string") end
    buf[#buf + 1] = s:sub(j, p - 1)
    if s:sub(p, p) == '"' then return table.concat(buf), p + 1 end
    local c = s:sub(p + 1, p + 1)
    if c == "u" then
      local cp = tonumber(s:sub(p + 2, p + 5), 16) or derr(p, "bad unicode escape")
      local nexti = p + 6
      if cp >= 0xD800 and cp <= 0xDBFF and s:sub(nexti, nexti + 1) == "\\u" then
        local lo = tonumber(s:sub(nexti + 2, nexti + 5), 16)
        if lo and lo >= 0xDC00 and lo <= 0xDFFF then
          cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
          nexti = nexti + 6
        end
      end
      buf[#buf + 1] = utf8.char(cp)
      j = nexti
    else
      buf[#buf + 1] = unescape[c] or derr(p, "bad escape")
      j = p + 2
    end
  end
end

local dec_value
dec_value = function(s, i)
  i = skip(s, i)
  local c = s:sub(i, i)
  if c == "{" then
    -- keys are set raw and their order recorded at once (no __newindex call per key)
    local obj, keys = {}, {}
    i = skip(s, i + 1)
    if s:sub(i, i) == "}" then return setmetatable(obj, object_mt), i + 1 end
    while true do
      if s:sub(i, i) ~= '"' then derr(i, "expected a key") end
      local key
      key, i = dec_string(s, i)
      i = skip(s, i)
      if s:sub(i, i) ~= ":" then derr(i, "expected ':'") end
      local val
      val, i = dec_value(s, i + 1)
      if val ~= json.null then
        if obj[key] == nil then keys[#keys + 1] = key end
        obj[key] = val
      end
      i = skip(s, i)
      local d = s:sub(i, i)
      if d == "}" then
        key_order[obj] = keys
        return setmetatable(obj, object_mt), i + 1
      end
      if d ~= "," then derr(i, "expected ',' or '}'") end
      i = skip(s, i + 1)
    end
  elseif c == "[" then
    local arr = setmetatable({}, array_mt)
    i = skip(s, i + 1)
    if s:sub(i, i) == "]" then return arr, i + 1 end
    while true do
      local val
      val, i = dec_value(s, i)
      arr[#arr + 1] = val
      i = skip(s, i)
      local d = s:sub(i, i)
      if d == "]" then return arr, i + 1 end
      if d ~= "," then derr(i, "expected ',' or ']'") end
      i = i + 1
    end
  elseif c == '"' then
    return dec_string(s, i)
  elseif s:sub(i, i + 3) == "true" then
    return true, i + 4
  elseif s:sub(i, i + 4) == "false" then
    return false, i + 5
  elseif s:sub(i, i + 3) == "null" then
    return json.null, i + 4
  else
    local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", i)
    if not num or num == "" then derr(i, "unexpected character") end
    return tonumber(num), i + #num
  end
end
function json.decode(s)
  local v, i = dec_value(s, 1)
  if v == json.null then v = nil end
  return v
end

-- kube: Karmada's helper library, computed on the JS side
local kube = {}
local function host(name, ...)
  local args = table.pack(...)
  local list = setmetatable({}, array_mt)
  for i = 1, args.n do list[i] = args[i] == nil and json.null or args[i] end
  local reply = json.decode(__kts_host(name, json.encode(list)))
  if reply.err then error(reply.err, 3) end
  return reply.ok
end
function kube.resourceAdd(...) return host("resourceAdd", ...) end
function kube.accuratePodRequirements(...) return host("accuratePodRequirements", ...) end
function kube.getPodDependencies(...) return host("getPodDependencies", ...) end
function kube.getResourceQuantity(...) return host("getResourceQuantity", ...) end

-- one call cannot allocate a huge string in a single step, before the hook can see it
local string_rep = string.rep
string.rep = function(s, n, sep)
  if type(n) == "number" and n > 0 and (#tostring(s) + #tostring(sep or "")) * n > 64 * 1024 * 1024 then
    error("string.rep: the result would exceed 64 MiB", 2)
  end
  return string_rep(s, n, sep)
end

local modules = { kube = kube, json = { encode = json.encode, decode = json.decode } }
local safe_math = {}
for k, v in pairs(math) do safe_math[k] = v end
safe_math.pow = function(a, b) return a ^ b end
local safe = {
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
  select = select, tonumber = tonumber, tostring = tostring, type = type, xpcall = xpcall,
  rawget = rawget, rawset = rawset, rawequal = rawequal, rawlen = rawlen,
  setmetatable = setmetatable, getmetatable = getmetatable, unpack = table.unpack, __kts_t = ordered_table,
  string = string, table = table, math = safe_math, utf8 = utf8,
  os = { time = os.time, clock = os.clock, date = os.date },
  print = function() end,
  require = function(name)
    local m = modules[name]
    if not m then error("module '" .. tostring(name) .. "' not found", 2) end
    return m
  end,
}
safe._G = safe

local scripts = {}

-- limits: steps, seconds, kbytes; the hook runs every 1000 instructions and stops a script that
-- ran too many instructions, too long (CPU time) or grew the heap by more than kbytes
local hook_every = 1000
local function with_budget(max_steps, max_seconds, max_kb, fn, ...)
  local steps, started, heap = 0, os.clock(), collectgarbage("count")
  debug.sethook(function()
    steps = steps + hook_every
    if steps > max_steps then error("script exceeded its instruction budget", 2) end
    if os.clock() - started > max_seconds then error(string.format("script timed out after %gs", max_seconds), 2) end
    if collectgarbage("count") - heap > max_kb then
      collectgarbage()
      if collectgarbage("count") - heap > max_kb then error(string.format("script exceeded its memory limit of %d KiB", max_kb), 2) end
    end
  end, "", hook_every)
  local res = table.pack(pcall(fn, ...))
  debug.sethook()
  return res
end

function __kts_compile(id, src, max_steps, max_seconds, max_kb)
  local env = setmetatable({}, { __index = safe })
  local chunk, err = load(src, "=" .. id, "t", env)
  if not chunk then return err end
  local res = with_budget(max_steps, max_seconds, max_kb, chunk)
  if not res[1] then return tostring(res[2]) end
  scripts[id] = env
  return nil
end

function __kts_defines(id, fname)
  local env = scripts[id]
  return env ~= nil and type(rawget(env, fname)) == "function"
end

function __kts_call(id, fname, args_json, max_steps, max_seconds, max_kb)
  local env = scripts[id]
  local fn = env and rawget(env, fname)
  if type(fn) ~= "function" then return json.encode({ err = "function " .. fname .. " is not defined" }) end
  local args = json.decode(args_json)
  local n = #args
  -- an absent argument is nil, as gopher-lua gives it (never the JSON null marker)
  for i = 1, n do if args[i] == json.null then args[i] = nil end end
  local res = with_budget(max_steps, max_seconds, max_kb, fn, table.unpack(args, 1, n))
  if not res[1] then return json.encode({ err = tostring(res[2]) }) end
  local out = setmetatable({}, array_mt)
  for i = 2, res.n do out[i - 1] = res[i] == nil and json.null or res[i] end
  local ok, encoded = pcall(json.encode, { ok = out })
  if not ok then return json.encode({ err = tostring(encoded) }) end
  return encoded
end

function __kts_drop(id) scripts[id] = nil end
`;
