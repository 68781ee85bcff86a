--[[
  Gives a slot back.
  KEYS[1]  the device's slot set
  ARGV[1]  holder token
  Returns  1 released, 0 it was not held (already expired).
]]
return redis.call('ZREM', KEYS[1], ARGV[1])
