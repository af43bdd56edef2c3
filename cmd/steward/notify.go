package main

import (
	"fmt"
	"net"

	"steward/domain"
	"steward/jobs"
)

// mailer is the mailer of STEWARD_SMTP_URL, or nil when it is unset: then email is off and
// notifications go to the in-app inbox and webhooks only.
func (m *Main) mailer() (domain.Mailer, error) {
	raw := m.Getenv("STEWARD_SMTP_URL")
	if raw == "" {
		return nil, nil
	}
	mailer, err := jobs.NewSMTPMailer(raw)
	if err != nil {
		return nil, fmt.Errorf("STEWARD_SMTP_URL: %w", err)
	}
	return mailer, nil
}

// linkBase is what links in emails and webhook posts start with: STEWARD_BASE_URL, or else the
// listen address (right on one machine, and in any case better than a bare path).
func linkBase(cfg config) string {
	if cfg.baseURL != "" {
		return cfg.baseURL
	}
	host, port, err := net.SplitHostPort(cfg.addr)
	if err != nil {
		return ""
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
