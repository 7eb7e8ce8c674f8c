/**
 * Lua scripts: Redis runs each atomically, so a commit's version checks, writes, sequence
 * number and notification are one indivisible step.
 *
 * Layout under a prefix P: `P o:<key>` hash {v: JSON text, n: version}; `P seq` the global
 * commit sequence; `P tx:<id>` the seq of an applied commit attempt (so a resent commit after
 * a dropped connection is recognised instead of applied twice; kept 90 s, longer than a
 * client retries a commit).
 */

/** KEYS: seq, txmark, checks..., writes...; ARGV: channel, nchecks, versions..., (op, value)... */
export const COMMIT_SCRIPT = `
local done = redis.call('GET', KEYS[2])
if done then return {1, tonumber(done)} end
local nc = tonumber(ARGV[2])
local bad = {}
for i = 1, nc do
  local cur = redis.call('HGET', KEYS[2 + i], 'n')
  local curv = 0
  if cur then curv = tonumber(cur) end
  if curv ~= tonumber(ARGV[2 + i]) then bad[#bad + 1] = i end
end
if #bad > 0 then
  table.insert(bad, 1, 0)
  return bad
end
local seq = redis.call('INCR', KEYS[1])
local nw = #KEYS - 2 - nc
local writes = {}
for j = 1, nw do
  local k = KEYS[2 + nc + j]
  local op = ARGV[2 + nc + 2 * j - 1]
  if op == 'd' then
    redis.call('DEL', k)
    writes[j] = {k}
  else
    local val = ARGV[2 + nc + 2 * j]
    redis.call('HSET', k, 'v', val, 'n', seq)
    writes[j] = {k, val}
  end
end
redis.call('SET', KEYS[2], seq, 'EX', 90)
redis.call('PUBLISH', ARGV[1], seq .. '\\n' .. cjson.encode(writes))
return {1, seq}
`;

/** KEYS: seq, objects...; returns {seq, v1, n1, v2, n2, ...}, one consistent moment. */
export const READ_SCRIPT = `
local out = {tonumber(redis.call('GET', KEYS[1]) or '0')}
for i = 2, #KEYS do
  local r = redis.call('HMGET', KEYS[i], 'v', 'n')
  out[#out + 1] = r[1]
  out[#out + 1] = r[2]
end
return out
`;
