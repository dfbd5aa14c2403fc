-- wrk script: POST /api/v1/auth/login as admin with the right password ($PJ_PW), each request
-- from another client address (X-Forwarded-For; the server runs with --trust-proxy), so that
-- neither the per-address throttle nor a lockout stops the storm: every request costs one
-- argon2id check at the product's cost.
local pw = os.getenv("PJ_PW")
local body = '{"username":"admin","password":"' .. pw .. '"}'
local n = 0

request = function()
  n = n + 1
  local addr = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256,
    math.floor(n / 256) % 256, n % 256)
  return wrk.format("POST", "/api/v1/auth/login",
    {["Content-Type"] = "application/json", ["X-Forwarded-For"] = addr}, body)
end
