package domain

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseWebhookAllow(t *testing.T) {
	good, err := ParseWebhookAllow(" 10.20.0.0/16, 192.168.8.7 ,fd12:3456::/32,")
	if err != nil || len(good) != 3 || good[1] != netip.MustParsePrefix("192.168.8.7/32") {
		t.Fatalf("%v %v", good, err)
	}
	for _, bad := range []string{"127.0.0.1/32", "::1", "169.254.0.0/16", "0.0.0.0/0", "8.8.8.0/24", "10.0.0.0/7", "224.0.0.1", "x"} {
		if _, err := ParseWebhookAllow(bad); err == nil {
			t.Errorf("%s was taken", bad)
		}
	}
	// A listed range never opens a metadata address inside it.
	targets := &WebhookTargets{Allow: []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10")}}
	if err := targets.Permits(netip.MustParseAddr("100.100.100.200")); err == nil || !strings.Contains(err.Error(), "metadata") {
		t.Errorf("metadata: %v", err)
	}
	if err := targets.Permits(netip.MustParseAddr("100.64.1.2")); err != nil {
		t.Errorf("allowed range: %v", err)
	}
	if err := targets.Permits(netip.MustParseAddr("203.0.113.9")); err != nil {
		t.Errorf("a public address: %v", err)
	}
}
