-- The Lua yardstick (bench/run.sh): a minimal Lua post-dissector doing the first thing
-- dnsfail does, the usual Lua way: read the ICMP type and the quoted DNS query name from
-- Wireshark's fields, and for an ICMP destination-unreachable quoting a DNS query add an
-- item and a note in the Info column. Asking for fields makes tshark build a protocol tree
-- for every frame; that, not this code, is most of what it costs.
--
-- SPDX-License-Identifier: GPL-2.0-or-later
local icmp_type = Field.new("icmp.type")
local qry_name = Field.new("dns.qry.name")

local p = Proto("luafail", "Lua DNS failure yardstick")
local f_name = ProtoField.string("luafail.qry.name", "Query name")
p.fields = { f_name }

function p.dissector(tvb, pinfo, tree)
  local t = icmp_type()
  if t and t.value == 3 then
    local n = qry_name()
    if n then
      tree:add(p, tvb()):add(f_name, tostring(n.value))
      pinfo.cols.info:append(" [DNS " .. tostring(n.value) .. " failed]")
    end
  end
end

register_postdissector(p)
