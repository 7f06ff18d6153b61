-- wrk script for eng/load.sh. Arguments (after --): MODE KEY, MODE = bare or leads.
-- bare:  POST /v1/bare with a small JSON body.
-- leads: POST /v1/leads, each request a NEW lead id ("load-<run>-<thread>-<counter>"), one in four hot (a VP who asked
--        for a demo: routed to a rep) and three in four cold (a student: put on a nurture track), so routing and nurture run.
-- done() prints one machine-readable line that eng/load.sh reads (requests, duration, p99, errors by kind).

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or "bare"
  key = args[2] or ""
  run = args[3] or tostring(os.time())
  local now = os.time()
  local function at(seconds) return os.date("!%Y-%m-%dT%H:%M:%SZ", now - seconds) end
  hotTemplate = '{"id":"%s","person":{"email":"%s@globex.example","jobTitle":"VP Sales","seniority":"VP","department":"Sales"},'
    .. '"company":{"name":"Globex","industry":"Software","employeeCount":2400,"country":"US"},"source":"Web",'
    .. '"createdAt":"' .. at(3 * 86400) .. '","activities":[{"type":"pageView","at":"' .. at(2 * 86400)
    .. '","url":"https://brightwave.example/pricing"},{"type":"demoRequested","at":"' .. at(3600) .. '"}]}'
  coldTemplate = '{"id":"%s","person":{"jobTitle":"Student"},"company":{"name":"Tiny","employeeCount":3,"country":"US"},'
    .. '"source":"Web","createdAt":"' .. at(86400) .. '","activities":[{"type":"webVisit","at":"' .. at(7200) .. '"}]}'
  headers = { ["Content-Type"] = "application/json", ["X-Api-Key"] = key }
  bare = wrk.format("POST", "/v1/bare", headers, '{"ping":true}')
end

function request()
  if mode == "bare" then
    return bare
  end
  counter = counter + 1
  local id = string.format("load-%s-%d-%d", run, tid, counter)
  local body
  if counter % 4 == 0 then
    body = string.format(hotTemplate, id, id)
  else
    body = string.format(coldTemplate, id)
  end
  return wrk.format("POST", "/v1/leads", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("LOADRESULT requests=%d duration_us=%d p99_us=%d p50_us=%d status=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(99), latency:percentile(50), e.status, e.connect, e.read, e.write, e.timeout))
end
