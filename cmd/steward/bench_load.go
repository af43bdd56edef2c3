package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"steward/api"
)

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}))
}

// benchUser is a login of the scale district.
type benchUser struct {
	ID, Username, Role, DepartmentID string
}

// benchClient is one simulated user agent: one connection pool, one session per role it
// acts in (logged in through the real login).
type benchClient struct {
	n        int
	base     string
	http     *http.Client
	sessions map[string]string // role → session cookie
	users    map[string]benchUser
	rand     *mrand.Rand
	fx       *benchFixtures
}

// errNotFound marks a 404, which makes an optional scenario's endpoint "not there yet".
var errNotFound = errors.New("404 Not Found")

// call makes one request as the client's user of role and fails on anything but 2xx. out, when
// not nil, receives the decoded JSON body.
func (c *benchClient) call(role, method, path string, body any, hdr map[string]string, out any) (http.Header, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+"/api/v1"+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: c.sessions[role]})
	res, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusNotFound {
		io.Copy(io.Discard, res.Body) //nolint:errcheck
		return nil, errNotFound
	}
	if res.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 300))
		return nil, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			return nil, err
		}
	}
	// Read to the end, so the connection is kept for the next request.
	_, err = io.Copy(io.Discard, res.Body)
	return res.Header, err
}

func (c *benchClient) get(role, path string) error {
	_, err := c.call(role, http.MethodGet, path, nil, nil, nil)
	return err
}

// login logs the client in as user through POST /auth/login.
func login(ctx context.Context, hc *http.Client, base string, u benchUser) (string, error) {
	b, _ := json.Marshal(map[string]string{"username": u.Username, "password": benchPassword})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/auth/login", bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body) //nolint:errcheck
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("login %s: %d", u.Username, res.StatusCode)
	}
	for _, ck := range res.Cookies() {
		if ck.Name == api.SessionCookie {
			return ck.Value, nil
		}
	}
	return "", fmt.Errorf("login %s: no session cookie", u.Username)
}

// benchScenario is one thing users do, driven by every client at once. Add a scenario by
// appending to benchScenarios.
type benchScenario struct {
	Name string
	// What is what a reader sees in the table: the request(s) one operation makes.
	What string
	// Optional endpoints may not exist yet (built on another branch): a 404 at the probe skips
	// the scenario with a note instead of failing the run.
	Optional bool
	// Kind groups scenarios for the targets: "list", "stats", "write", "detail", "report".
	Kind string
	Do   func(c *benchClient) error
}

func pick[T any](c *benchClient, s []T) T { return s[c.rand.IntN(len(s))] }

// benchScenarios are the scenarios, in the order they run.
func benchScenarios(fx *benchFixtures) []benchScenario {
	month := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01")
	return []benchScenario{
		{Name: "officer inbox", Kind: "list", What: "officer GET /tickets?mine=true&sort=due&limit=50",
			Do: func(c *benchClient) error { return c.get("officer", "/tickets?mine=true&sort=due&limit=50") }},
		{Name: "officer all tickets", Kind: "list", What: "officer GET /tickets?limit=50",
			Do: func(c *benchClient) error { return c.get("officer", "/tickets?limit=50") }},
		{Name: "officer inbox red", Kind: "list", What: "officer GET /tickets?mine=true&light=red&sort=due&limit=50",
			Do: func(c *benchClient) error { return c.get("officer", "/tickets?mine=true&light=red&sort=due&limit=50") }},
		{Name: "officer inbox yellow", Kind: "list", What: "officer GET /tickets?mine=true&light=yellow&sort=due&limit=50",
			Do: func(c *benchClient) error {
				return c.get("officer", "/tickets?mine=true&light=yellow&sort=due&limit=50")
			}},
		{Name: "officer red (all)", Kind: "list", What: "officer GET /tickets?light=red&limit=50",
			Do: func(c *benchClient) error { return c.get("officer", "/tickets?light=red&limit=50") }},
		{Name: "dispatcher intake", Kind: "list", What: "dispatcher GET /tickets?mine=true&limit=50",
			Do: func(c *benchClient) error { return c.get("dispatcher", "/tickets?mine=true&limit=50") }},
		{Name: "dispatcher overdue", Kind: "list", What: "dispatcher GET /tickets?light=red&sort=due&limit=50",
			Do: func(c *benchClient) error { return c.get("dispatcher", "/tickets?light=red&sort=due&limit=50") }},
		{Name: "leader portfolio", Kind: "list", What: "leader GET /tickets?mine=true&sort=due&limit=50",
			Do: func(c *benchClient) error { return c.get("leader", "/tickets?mine=true&sort=due&limit=50") }},
		{Name: "leader red", Kind: "list", What: "leader GET /tickets?mine=true&light=red&sort=due&limit=50",
			Do: func(c *benchClient) error { return c.get("leader", "/tickets?mine=true&light=red&sort=due&limit=50") }},
		{Name: "ticket detail", Kind: "detail", What: "officer GET /tickets/{id} then /tickets/{id}/events (one op)",
			Do: func(c *benchClient) error {
				ids := c.fx.deptTickets[c.users["officer"].DepartmentID]
				if len(ids) == 0 {
					return errors.New("no tickets in the officer's department")
				}
				id := pick(c, ids)
				if err := c.get("officer", "/tickets/"+id); err != nil {
					return err
				}
				return c.get("officer", "/tickets/"+id+"/events")
			}},
		{Name: "search 中国", Kind: "list", What: "dispatcher GET /enterprises?q=中国&limit=50",
			Do: func(c *benchClient) error { return c.get("dispatcher", "/enterprises?q=%E4%B8%AD%E5%9B%BD&limit=50") }},
		{Name: "search fragment", Kind: "list", What: "dispatcher GET /enterprises?q=<2 characters of a name>&limit=50",
			Do: func(c *benchClient) error {
				return c.get("dispatcher", "/enterprises?q="+pick(c, fx.fragments)+"&limit=50")
			}},
		{Name: "search initials", Kind: "list", What: "dispatcher GET /enterprises?q=<initials, e.g. zgdl>&limit=50",
			Do: func(c *benchClient) error {
				return c.get("dispatcher", "/enterprises?q="+pick(c, fx.initials)+"&limit=50")
			}},
		{Name: "due visits", Kind: "list", What: "steward GET /visits/due",
			Do: func(c *benchClient) error { return c.get("steward", "/visits/due") }},
		{Name: "steward portfolio", Kind: "list", What: "steward GET /enterprises?steward_id=<self>&limit=50",
			Do: func(c *benchClient) error {
				return c.get("steward", "/enterprises?steward_id="+c.users["steward"].ID+"&limit=50")
			}},
		{Name: "create visit", Kind: "write", What: "steward POST /visits (Idempotency-Key)",
			Do: func(c *benchClient) error {
				ents := c.fx.stewardEnts[c.users["steward"].ID]
				if len(ents) == 0 {
					return errors.New("the steward serves no enterprise")
				}
				_, err := c.call("steward", http.MethodPost, "/visits", map[string]any{
					"enterprise_id": pick(c, ents), "visited_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
					"kind": "onsite", "summary": "基准走访：了解企业生产经营情况",
				}, map[string]string{"Idempotency-Key": uuid.NewString()}, nil)
				return err
			}},
		{Name: "create + accept ticket", Kind: "write", What: "steward POST /tickets, dispatcher POST /tickets/{id}/actions/accept (one op)",
			Do: func(c *benchClient) error {
				ents := c.fx.stewardEnts[c.users["steward"].ID]
				if len(ents) == 0 {
					return errors.New("the steward serves no enterprise")
				}
				var t struct {
					ID string `json:"id"`
				}
				h, err := c.call("steward", http.MethodPost, "/tickets", map[string]any{
					"enterprise_id": pick(c, ents), "category_id": c.fx.category,
					"title": "基准诉求：用电报装", "description": "企业反映新厂房用电报装进度慢，请协调。", "priority": "normal",
				}, map[string]string{"Idempotency-Key": uuid.NewString()}, &t)
				if err != nil {
					return err
				}
				_, err = c.call("dispatcher", http.MethodPost, "/tickets/"+t.ID+"/actions/accept", map[string]any{},
					map[string]string{"If-Match": h.Get("ETag")}, nil)
				return err
			}},
		{Name: "stats overview", Kind: "stats", What: "dispatcher GET /stats/overview",
			Do: func(c *benchClient) error { return c.get("dispatcher", "/stats/overview") }},
		{Name: "stats departments", Kind: "stats", What: "dispatcher GET /stats/departments",
			Do: func(c *benchClient) error { return c.get("dispatcher", "/stats/departments") }},
		{Name: "stats stewards", Kind: "stats", What: "dispatcher GET /stats/stewards",
			Do: func(c *benchClient) error { return c.get("dispatcher", "/stats/stewards") }},
		{Name: "stats categories", Kind: "stats", What: "dispatcher GET /stats/categories",
			Do: func(c *benchClient) error { return c.get("dispatcher", "/stats/categories") }},
		{Name: "leader overview", Kind: "stats", What: "leader GET /stats/overview (portfolio scope)",
			Do: func(c *benchClient) error { return c.get("leader", "/stats/overview") }},
		{Name: "stats scorecard", Kind: "stats", Optional: true, What: "dispatcher GET /stats/scorecard?month=" + month,
			Do: func(c *benchClient) error { return c.get("dispatcher", "/stats/scorecard?month="+month) }},
		{Name: "plan nodes", Kind: "list", Optional: true, What: "officer GET /plan-nodes",
			Do: func(c *benchClient) error { return c.get("officer", "/plan-nodes") }},
		{Name: "monthly report", Kind: "report", What: "dispatcher GET /reports/monthly?month=" + month + " (.xlsx)",
			Do: func(c *benchClient) error { return c.get("dispatcher", "/reports/monthly?month="+month) }},
	}
}

// benchResult is one scenario's (or baseline's) measurement.
type benchResult struct {
	Name    string  `json:"name"`
	What    string  `json:"what"`
	Kind    string  `json:"kind"`
	Clients int     `json:"clients"`
	Seconds float64 `json:"seconds"`
	Ops     int     `json:"ops"`
	Errors  int     `json:"errors"`
	PerSec  float64 `json:"per_second"`
	P50     float64 `json:"p50_ms"`
	P95     float64 `json:"p95_ms"`
	P99     float64 `json:"p99_ms"`
	Max     float64 `json:"max_ms"`
	// RSS is the server's largest resident set seen during the scenario (MB).
	RSS      float64 `json:"server_rss_mb,omitempty"`
	Skipped  string  `json:"skipped,omitempty"`
	FirstErr string  `json:"first_error,omitempty"`
}

// drive runs op from n goroutines for d (after warmup unmeasured) and measures every call.
func drive(ctx context.Context, n int, warmup, d time.Duration, op func(i int) error) benchResult {
	if warmup > 0 {
		wctx, cancel := context.WithTimeout(ctx, warmup)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				for wctx.Err() == nil {
					op(i) //nolint:errcheck
				}
			})
		}
		wg.Wait()
		cancel()
	}
	var (
		mu       sync.Mutex
		all      []time.Duration
		errs     int
		firstErr string
	)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			lat := make([]time.Duration, 0, 4096)
			var e int
			var first string
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				err := op(i)
				lat = append(lat, time.Since(t0))
				if err != nil {
					e++
					if first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			all = append(all, lat...)
			errs += e
			if firstErr == "" {
				firstErr = first
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	el := time.Since(start)
	r := benchResult{Clients: n, Seconds: el.Seconds(), Ops: len(all), Errors: errs, FirstErr: firstErr}
	if len(all) > 0 {
		slices.Sort(all)
		q := func(p float64) float64 {
			i := int(p*float64(len(all))+0.5) - 1
			i = max(0, min(i, len(all)-1))
			return float64(all[i].Microseconds()) / 1000
		}
		r.PerSec = float64(len(all)) / el.Seconds()
		r.P50, r.P95, r.P99, r.Max = q(0.50), q(0.95), q(0.99), float64(all[len(all)-1].Microseconds())/1000
	}
	return r
}

// httpClient is a client with enough idle connections for every simulated user.
func httpClient(n int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 4*n, 4*n
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}

// fmtMS prints milliseconds readably.
func fmtMS(v float64) string {
	switch {
	case v == 0:
		return "–"
	case v < 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

func padRight(s string, n int) string {
	w := 0
	for _, r := range s {
		if r >= 0x2e80 {
			w += 2
		} else {
			w++
		}
	}
	if w >= n {
		return s
	}
	return s + strings.Repeat(" ", n-w)
}
