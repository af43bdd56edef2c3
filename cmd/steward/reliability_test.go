package main

// The reliability battery (README, "Reliability"): tests that break things on purpose to prove
// what shared/DESIGN.md §7 promises. Every test here is named TestReliability…; `make
// test-reliability` runs them at full size (STEWARD_RELIABILITY=full), `go test` (and so `make
// test`) at a quick size of the same tests. Kill tests start the real binary, built once; every
// wait is bounded; all traffic stays on 127.0.0.1 and Unix sockets.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// reliabilityFull is the full mode of the battery: STEWARD_RELIABILITY=full.
var reliabilityFull = os.Getenv("STEWARD_RELIABILITY") == "full"

// sized is quick in the quick mode, full in the full one.
func sized[T any](quick, full T) T {
	if reliabilityFull {
		return full
	}
	return quick
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// stewardBinary builds the real binary once per test run, with webhooks allowed to post to
// loopback (the receivers listen on 127.0.0.1).
func stewardBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "steward-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "steward")
		goCmd, err := exec.LookPath("go")
		if err != nil {
			goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		if out, err := exec.Command(goCmd, "build", "-tags", "steward_test_loopback", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// removeBinary removes what stewardBinary built (TestMain).
func removeBinary() {
	if binDir != "" {
		os.RemoveAll(binDir)
	}
}

// proc is the real binary running as its own process.
type proc struct {
	name string
	cmd  *exec.Cmd
	logs *syncBuffer
	base string // http://127.0.0.1:port for serve and worker
	done chan struct{}
	err  error // the exit status, once done is closed
}

var servingURL = regexp.MustCompile(`msg="Steward is serving" url=(http://\S+)`)

// startProc starts `steward args…` with env added to the test's environment and waits until it
// serves (or, for a worker, works jobs). The process is killed when t ends, its log shown when t
// failed.
func startProc(t testing.TB, name string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, logs: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(stewardBinary(t), args...)
	p.cmd.Env = append(append(os.Environ(), "STEWARD_SMTP_URL="), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("%s's log:\n%s", name, tail(p.logs.String(), 6000))
		}
	})
	want := "working background jobs"
	if args[0] == "serve" || args[0] == "dev" {
		want = "Steward is serving"
	}
	waitUntil(t, name+" starts", 90*time.Second, func() bool {
		select {
		case <-p.done:
			t.Fatalf("%s exited at start: %v\n%s", name, p.err, p.logs)
		default:
		}
		return strings.Contains(p.logs.String(), want)
	})
	if m := servingURL.FindStringSubmatch(p.logs.String()); m != nil {
		p.base = m[1]
	}
	return p
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// kill ends the process with SIGKILL, as a crash would, and waits for it.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// terminate sends SIGTERM and waits (bounded) for the process to end, returning its exit status.
func (p *proc) terminate(t testing.TB, limit time.Duration) error {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		return p.err
	case <-time.After(limit):
		t.Fatalf("%s still running %s after SIGTERM", p.name, limit)
		return nil
	}
}

// waitUntil polls done until it holds, failing t when it does not within limit. It is the only
// way the battery waits: no fixed sleep stands in for an assertion.
func waitUntil(t testing.TB, what string, limit time.Duration, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// apiClient is one logged-in user of the HTTP API.
type apiClient struct {
	base string
	hc   *http.Client
}

// newClient is a client with its own cookie jar, not yet logged in. Connections are not
// pooled beyond a few per client, like a browser's.
func newClient(base string, timeout time.Duration) *apiClient {
	jar, _ := cookiejar.New(nil)
	return &apiClient{base: base, hc: &http.Client{Jar: jar, Timeout: timeout,
		Transport: &http.Transport{MaxIdleConnsPerHost: 4, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}}}
}

// mustLogin logs username in, failing t when it cannot.
func mustLogin(t testing.TB, base, username, password string) *apiClient {
	t.Helper()
	c := newClient(base, 2*time.Minute)
	var code int
	var body []byte
	var err error
	// A login under heavy load may time out or find no free connection (503): retry a few
	// times, as a person would.
	for attempt := 0; attempt < 5; attempt++ {
		code, body, _, err = c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password}, nil)
		if err == nil && code != 503 {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 500 * time.Millisecond)
	}
	if err != nil || code != 200 {
		t.Fatalf("login %s: %d %s %v", username, code, body, err)
	}
	return c
}

// do sends a request (body as JSON unless it is a []byte or nil) and reads the whole answer.
func (c *apiClient) do(method, path string, body any, header map[string]string) (int, []byte, http.Header, error) {
	return c.doCtx(context.Background(), method, path, body, header)
}

func (c *apiClient) doCtx(ctx context.Context, method, path string, body any, header map[string]string) (int, []byte, http.Header, error) {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, nil, nil, err
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header, err
}

// must is do that fails t on a transport error or a status other than want.
func (c *apiClient) must(t testing.TB, want int, method, path string, body any, header map[string]string) ([]byte, http.Header) {
	t.Helper()
	code, b, h, err := c.do(method, path, body, header)
	if err != nil || code != want {
		t.Fatalf("%s %s = %d %s (%v), want %d", method, path, code, b, err, want)
	}
	return b, h
}

// decode unmarshals b into a new T, failing t when it cannot.
func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

// problemCode is the machine code of a problem+json answer, "" for anything else.
func problemCode(h http.Header, b []byte) string {
	if h == nil || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
		return ""
	}
	var p struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(b, &p)
	return p.Code
}

// isRefused reports whether err is a connection the server refused (it no longer listens): a
// request that never reached it, not one that failed in flight.
func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// sseEvent is one Server-Sent Event.
type sseEvent struct{ id, event, data string }

// readEvents reads the events of an event stream until it ends, sending each on out.
func readEvents(r io.Reader, out chan<- sseEvent) error {
	sc := bufio.NewScanner(r)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.data != "" || ev.event != "" {
				out <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			ev.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "event: "):
			ev.event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data += strings.TrimPrefix(line, "data: ")
		}
	}
	return sc.Err()
}

// jsonInto unmarshals b into v, reporting whether it could.
func jsonInto(b []byte, v any) bool { return b != nil && json.Unmarshal(b, v) == nil }
