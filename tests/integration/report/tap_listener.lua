-- A Lua consumer of the "dnsfail" tap, as docs/statistics.md shows it: counts the frames
-- the tap reports and prints each failure's name and reason at the end.
local name = Field.new("dnsfail.qry.name")
local reason = Field.new("dnsfail.reason")
local seen, lines = 0, {}
local tap = Listener.new("dnsfail")
function tap.packet(pinfo, tvb)
    seen = seen + 1
    lines[#lines + 1] = string.format("%d %s %s", pinfo.number, tostring(name()), tostring(reason()))
end
function tap.draw()
    print("dnsfail tap records: " .. seen)
    for _, l in ipairs(lines) do print(l) end
end
