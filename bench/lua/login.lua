-- POST /api/login as load1 .. loadN, a random one each time: wrk ... -- N PASSWORD
local accounts, password
local headers = { ["Content-Type"] = "application/json" }

init = function(args)
  accounts = tonumber(args[1])
  password = args[2]
  math.randomseed(os.time())
end

request = function()
  local body = string.format('{"username": "load%d", "password": "%s"}', math.random(1, accounts), password)
  return wrk.format("POST", nil, headers, body)
end
