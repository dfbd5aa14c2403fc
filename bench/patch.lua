-- wrk script: authenticated PATCH of facilities round-robin, each with its current version
-- (taken from the previous response for that facility), so every write is a real,
-- conflict-free, durable update with its audit row.
local n = tonumber(os.getenv("PJ_FACILITIES") or "300")
local token = os.getenv("PJ_TOKEN")
local version = {}
local sent = {}
local i = 0
for k = 1, n do version[k] = 1; sent[k] = 0 end

request = function()
  i = i % n + 1
  -- a new capacity each time a facility comes round: a PATCH that changes nothing writes
  -- nothing (no version, no audit row), so repeating one value would measure no writes
  sent[i] = sent[i] + 1
  local body = string.format('{"version":%d,"peacetime_capacity":%d}', version[i], 100 + (i + sent[i]) % 50)
  return wrk.format("PATCH", "/api/v1/facilities/" .. i,
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  local id, v = string.match(body, '^{"id":(%d+),.-"version":(%d+)')
  if id then version[tonumber(id)] = tonumber(v) end
end
