-- wrk script: a password-guessing flood from $PJ_FLOOD_ADDRS client addresses (default 20;
-- X-Forwarded-For, the server runs with --trust-proxy), taking turns, each guess a wrong
-- password for one of a thousand unknown names (checked at the product's cost, as a known
-- name's). Each address is held to its throttle and its two checks at a time; the flood sends
-- as fast as it is answered, refusals (429, 503) included.
local addrs = tonumber(os.getenv("PJ_FLOOD_ADDRS") or "20")
local n = 0

request = function()
  n = n + 1
  local addr = string.format("198.51.100.%d", n % addrs + 1)
  local body = string.format('{"username":"guess%d","password":"wrong-password-%d"}', n % 1000, n)
  return wrk.format("POST", "/api/v1/auth/login",
    {["Content-Type"] = "application/json", ["X-Forwarded-For"] = addr}, body)
end
