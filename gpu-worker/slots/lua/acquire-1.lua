--[[
  Takes a GPU slot if one is free.
  KEYS[1]  the device's slot set (ZSET: holder token -> lease expiry, ms)
  ARGV[1]  holder token
  ARGV[2]  slots on the device
  ARGV[3]  lease length, ms
  Returns  1 taken (or already held: renewed), 0 all slots busy.
  Expired leases (a holder that died) are dropped first; time is Redis's own
  clock, so workers on different hosts agree on expiry.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  return 1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return 1
