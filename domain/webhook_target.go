package domain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// WebhookTargets decides which addresses webhooks may reach, so that an administrator's webhook
// cannot make Steward post to its own machine, the database, a cloud's metadata service or the
// rest of the internal network (server-side request forgery). Loopback, unspecified, link-local,
// multicast, reserved and metadata addresses are never reached; private ranges (10/8,
// 172.16/12, 192.168/16, 100.64/10, fc00::/7) only when listed in Allow; public addresses always.
// A webhook's URL is checked when it is created (its host name resolved) and every connection
// is checked again for the address actually dialled, so a name that resolves differently later
// (DNS rebinding) or a redirect gets no further. The zero value (and nil) refuses every private
// range.
type WebhookTargets struct {
	// Allow lists the private ranges webhooks may reach (STEWARD_WEBHOOK_ALLOW); see
	// ParseWebhookAllow.
	Allow []netip.Prefix
	// Loopback lets webhooks reach loopback addresses. It exists for tests, whose receivers
	// listen on 127.0.0.1; no configuration sets it, and a release build cannot.
	Loopback bool
	// Resolver looks host names up; nil is the system's resolver.
	Resolver Resolver
}

// Resolver looks up a host name's addresses (net.Resolver does).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// ErrForbiddenTarget marks an address webhooks may not reach.
var ErrForbiddenTarget = errors.New("an address webhooks may not reach")

// metadataAddrs are cloud metadata services (AWS, GCP, Azure, OpenStack: 169.254.169.254 and its
// IPv6 twin; Alibaba Cloud: 100.100.100.200, inside the shared range 100.64/10).
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"), netip.MustParseAddr("fd00:ec2::254"), netip.MustParseAddr("100.100.100.200"),
}

var (
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")       // "this network": 0.0.0.0 dials the local host
	reserved    = netip.MustParsePrefix("240.0.0.0/4")     // reserved and the broadcast address
	sharedCGNAT = netip.MustParsePrefix("100.64.0.0/10")   // carrier-grade NAT, private in effect
	nat64       = netip.MustParsePrefix("64:ff9b::/96")    // IPv4 addresses behind NAT64
	teredo      = netip.MustParsePrefix("2001::/32")       // IPv4 tunnelled in IPv6
	sixToFour   = netip.MustParsePrefix("2002::/16")       // ditto
	benchmark   = netip.MustParsePrefix("198.18.0.0/15")   // network benchmarking, never public
	docIPv4     = netip.MustParsePrefix("192.0.0.0/24")    // IETF protocol assignments
	docIPv6Site = netip.MustParsePrefix("fec0::/10")       // deprecated site-local
	ipv4Private = []netip.Prefix{sharedCGNAT, benchmark}   // private besides netip's IsPrivate
	tunnelled   = []netip.Prefix{nat64, teredo, sixToFour} // refused: they reach IPv4 addresses unchecked
)

// refusal says why ip may never be reached, or "" when it may be (subject to the private check).
func refusal(ip netip.Addr) string {
	switch {
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsUnspecified() || thisNetwork.Contains(ip):
		return "an unspecified address"
	}
	for _, m := range metadataAddrs {
		if ip == m {
			return "a cloud metadata address"
		}
	}
	switch {
	case ip.IsLinkLocalUnicast() || docIPv6Site.Contains(ip):
		return "a link-local address"
	case ip.IsMulticast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case reserved.Contains(ip) || docIPv4.Contains(ip):
		return "a reserved address"
	}
	for _, p := range tunnelled {
		if p.Contains(ip) {
			return "an address that tunnels to IPv4"
		}
	}
	return ""
}

func isPrivate(ip netip.Addr) bool {
	if ip.IsPrivate() {
		return true
	}
	for _, p := range ipv4Private {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Permits returns nil when webhooks may connect to ip, and otherwise an error wrapping
// ErrForbiddenTarget that says why.
func (t *WebhookTargets) Permits(ip netip.Addr) error {
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() {
		return fmt.Errorf("no address: %w", ErrForbiddenTarget)
	}
	if t != nil && t.Loopback && ip.IsLoopback() {
		return nil
	}
	if why := refusal(ip); why != "" {
		return fmt.Errorf("%s is %s, which webhooks never reach: %w", ip, why, ErrForbiddenTarget)
	}
	if isPrivate(ip) {
		if t != nil {
			for _, p := range t.Allow {
				if p.Contains(ip) {
					return nil
				}
			}
		}
		return fmt.Errorf("%s is a private address outside STEWARD_WEBHOOK_ALLOW: %w", ip, ErrForbiddenTarget)
	}
	return nil
}

// Lookup resolves host (an address stays itself) with the configured resolver.
func (t *WebhookTargets) Lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{ip}, nil
	}
	var r Resolver = net.DefaultResolver
	if t != nil && t.Resolver != nil {
		r = t.Resolver
	}
	return r.LookupNetIP(ctx, "ip", host)
}

// webhookLookupTimeout bounds the look-up of a webhook's host name at creation.
const webhookLookupTimeout = 3 * time.Second

// CheckURL checks the host of a webhook's URL: an address must be permitted, and so must every
// address a host name resolves to now. A name that does not resolve now (a DNS server out of
// reach) passes: every connection is checked again when it is made.
func (t *WebhookTargets) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("no host: %w", ErrForbiddenTarget)
	}
	host := u.Hostname()
	ctx, cancel := context.WithTimeout(ctx, webhookLookupTimeout)
	defer cancel()
	addrs, err := t.Lookup(ctx, host)
	if err != nil {
		return nil
	}
	for _, ip := range addrs {
		if err := t.Permits(ip); err != nil {
			if _, perr := netip.ParseAddr(strings.Trim(host, "[]")); perr != nil { // a name, not an address
				return fmt.Errorf("%s resolves to %w", host, err)
			}
			return err
		}
	}
	return nil
}

// ParseWebhookAllow reads STEWARD_WEBHOOK_ALLOW: private addresses or CIDR ranges,
// comma-separated. Metadata addresses inside a listed range stay refused. An entry that is not private — loopback, link-local, metadata, multicast
// (never reachable) or public (reachable without listing) — is an error, so that a mistaken
// setting is noticed at start-up rather than believed.
func ParseWebhookAllow(s string) ([]netip.Prefix, error) {
	prefixes, err := ParsePrefixes(s)
	if err != nil {
		return nil, err
	}
	for _, p := range prefixes {
		for _, ip := range []netip.Addr{p.Addr(), lastAddr(p)} {
			if why := refusal(ip.Unmap()); why != "" {
				return nil, fmt.Errorf("%s holds %s (%s), which webhooks never reach", p, why, ip)
			}
			if !isPrivate(ip.Unmap()) {
				return nil, fmt.Errorf("%s is not a private range (%s is not private); public addresses need no listing", p, ip)
			}
		}
	}
	return prefixes, nil
}

// ParsePrefixes reads addresses or CIDR ranges, comma-separated (an address is a range of
// one); ranges are masked to their network.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR range", f)
		}
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}

// lastAddr is the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	bits := p.Bits()
	for i := range b {
		for j := 0; j < 8; j++ {
			if i*8+j >= bits {
				b[i] |= 0x80 >> j
			}
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
