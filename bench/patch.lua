-- wrk script: authenticated PATCH of facilities round-robin, each with its current version
-- (taken from the previous response for that facility), so every write is a real,
-- conflict-free, durable update with its audit row. PJ_FACILITIES names a file of
-- "id version peacetime_capacity" lines (scripts/bench.sh writes it from the database): the
-- facilities as they are, so that no request is refused — a capacity below a facility's
-- emergency capacity of the same unit is 422, a stale version 409, and either would measure
-- refusals, not writes.
-- PJ_IDEM=1: each request with an Idempotency-Key of its own (the console's writes), so that
-- each also keeps its answer (docs/api.md, Sending a write again).
local token = os.getenv("PJ_TOKEN")
local keyed = os.getenv("PJ_IDEM") == "1"
local run = string.format("%d-%d", os.time(), math.random(1, 1e9))
local ids, version, cap, sent = {}, {}, {}, {}
for line in io.lines(os.getenv("PJ_FACILITIES")) do
  local id, v, c = string.match(line, "^(%d+) (%d+) (%d+)$")
  if id then
    id = tonumber(id)
    ids[#ids + 1] = id
    version[id], cap[id], sent[id] = tonumber(v), tonumber(c), 0
  end
end
local i = 0

request = function()
  i = i % #ids + 1
  local id = ids[i]
  -- a new capacity each time a facility comes round (a PATCH that changes nothing writes
  -- nothing: no version, no audit row), never below the one it had
  sent[id] = sent[id] + 1
  local body = string.format('{"version":%d,"peacetime_capacity":%d}', version[id], cap[id] + 1 + sent[id] % 2)
  local h = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  if keyed then h["Idempotency-Key"] = run .. "-" .. id .. "-" .. sent[id] end
  return wrk.format("PATCH", "/api/v1/facilities/" .. id, h, body)
end

response = function(status, headers, body)
  local id, v = string.match(body, '^{"id":(%d+),.-"version":(%d+)')
  if id then version[tonumber(id)] = tonumber(v) end
end
