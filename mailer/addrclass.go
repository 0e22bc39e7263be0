package mailer

import (
	"net/netip"
)

// Cloud metadata services: answering them would hand the host's cloud credentials to whoever
// typed the endpoint. None is ever connected to, whatever the configuration says.
var metadataAddrs = map[netip.Addr]string{
	// AWS EC2 instance metadata (IMDS), IPv4; also Azure IMDS, Google Compute Engine
	// (metadata.google.internal resolves to it), Oracle Cloud Infrastructure, OpenStack, DigitalOcean.
	netip.MustParseAddr("169.254.169.254"): "a cloud metadata service (AWS, Azure, Google Cloud, Oracle Cloud)",
	// AWS EC2 instance metadata over IPv6 on Nitro instances (AWS EC2 user guide, "Access instance metadata").
	netip.MustParseAddr("fd00:ec2::254"): "AWS's IPv6 instance metadata service",
	// AWS ECS task metadata and credentials endpoint (link-local).
	netip.MustParseAddr("169.254.170.2"): "AWS ECS's task metadata service",
	// Google Compute Engine's metadata server for IPv6-only instances.
	netip.MustParseAddr("fd20:ce::254"): "Google Cloud's IPv6 metadata service",
	// Alibaba Cloud ECS instance metadata (Alibaba Cloud ECS docs, "Instance metadata").
	netip.MustParseAddr("100.100.100.200"): "Alibaba Cloud's metadata service",
	// Oracle Cloud Infrastructure Classic instance metadata (Oracle Compute Classic docs).
	netip.MustParseAddr("192.0.0.192"): "Oracle Cloud's metadata service",
	// Azure's platform address (WireServer, host DNS and health probes; Azure docs
	// "What is IP address 168.63.129.16?"): a public address, so only this list catches it.
	netip.MustParseAddr("168.63.129.16"): "Azure's WireServer platform address",
}

// metadataAddress names the metadata service at addr, or "". Embedded IPv4 (mapped, NAT64,
// 6to4) counts as the address it carries.
func metadataAddress(addr netip.Addr) string {
	for _, a := range []netip.Addr{addr, embeddedIPv4(addr)} {
		if why, ok := metadataAddrs[a.Unmap()]; ok {
			return why
		}
	}
	return ""
}

type rangeClass struct {
	prefix  netip.Prefix
	why     string
	private bool // an operator's --allow-private-targets lets allowed names reach it
}

var refusedRanges = []rangeClass{
	{netip.MustParsePrefix("0.0.0.0/8"), `"this network" (0.0.0.0/8)`, false},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address", false},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address", false},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address", false},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address (240.0.0.0/4, broadcast)", false},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address (RFC 1918)", true},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address (RFC 1918)", true},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address (RFC 1918)", true},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared (carrier-grade NAT) address (RFC 6598)", true},
	{netip.MustParsePrefix("::/128"), "the unspecified address", false},
	{netip.MustParsePrefix("::1/128"), "a loopback address", false},
	// IPv4-compatible (deprecated) and local-use NAT64 forms whose embedding cannot be trusted.
	{netip.MustParsePrefix("::/96"), "an IPv4-compatible address (deprecated)", false},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a local-use NAT64 address (RFC 8215)", false},
	{netip.MustParsePrefix("2001::/32"), "a Teredo address", false},
	{netip.MustParsePrefix("fe80::/10"), "a link-local address", false},
	{netip.MustParsePrefix("ff00::/8"), "a multicast address", false},
	{netip.MustParsePrefix("fc00::/7"), "a unique local address (RFC 4193)", true},
}

// addressClass says why an address is not a public one ("" when it is), and whether it is only
// private (a range an operator may open) rather than loopback, link-local or the like.
func addressClass(addr netip.Addr) (why string, private bool) {
	addr = addr.Unmap()
	for _, r := range refusedRanges {
		if r.prefix.Contains(addr) {
			return r.why, r.private
		}
	}
	if v4 := embeddedIPv4(addr); v4.IsValid() {
		if why, private := addressClass(v4); why != "" {
			return why + " inside " + addr.String(), private
		}
	}
	return "", false
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052's well-known prefix
	sixToFour = netip.MustParsePrefix("2002::/16")    // RFC 3056
)

// embeddedIPv4 returns the IPv4 address an IPv6 translation form carries, or the zero Addr.
func embeddedIPv4(addr netip.Addr) netip.Addr {
	b := addr.As16()
	switch {
	case addr.Is4In6():
		return addr.Unmap()
	case nat64.Contains(addr):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	case sixToFour.Contains(addr):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	}
	return netip.Addr{}
}
