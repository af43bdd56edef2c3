//go:build steward_test_loopback

package main

// A binary built with -tags steward_test_loopback lets webhooks reach loopback addresses, for the
// end-to-end tests whose receivers listen on 127.0.0.1. Releases are built without it, and no
// setting turns it on.
func init() { loopbackWebhooks = true }
