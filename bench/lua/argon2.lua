-- POST the bench password to /bench/argon2-verify: wrk ... -- PASSWORD
local body
local headers = { ["Content-Type"] = "application/json" }

init = function(args)
  body = string.format('{"password": "%s"}', args[1])
end

request = function()
  return wrk.format("POST", nil, headers, body)
end
