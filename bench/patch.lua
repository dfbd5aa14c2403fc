-- wrk script: authenticated PATCH of facilities round-robin, each with its current version
-- (taken from the previous response for that facility), so every write is a real,
-- conflict-free, durable update with its audit row.
local n = tonumber(os.getenv("PJ_FACILITIES") or "300")
local token = os.getenv("PJ_TOKEN")
local version = {}
local i = 0
for k = 1, n do version[k] = 1 end

request = function()
  i = i % n + 1
  local body = string.format('{"version":%d,"peacetime_capacity":%d}', version[i], 100 + (i % 50))
  return wrk.format("PATCH", "/api/v1/facilities/" .. i,
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  local id, v = string.match(body, '^{"id":(%d+),.-"version":(%d+)')
  if id then version[tonumber(id)] = tonumber(v) end
end
