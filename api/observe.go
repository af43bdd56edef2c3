package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"steward/domain"
)

type infoKey struct{}

// requestInfo travels with a request: its id, the operation that served it, and a logger that
// names both.
type requestInfo struct {
	id        string
	operation string
	log       *slog.Logger
	// authErr is why the caller's session or token could not be checked (the database is down).
	authErr error
	// session and bearer are the credential the caller came with, for a long request (an event
	// stream) to check again that it still holds.
	session, bearer string
}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

// RequestID returns the id of the request ctx belongs to.
func RequestID(ctx context.Context) string {
	if info := infoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steward_http_requests_total", Help: "HTTP requests by operation and status.",
		}, []string{"operation", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "steward_http_request_duration_seconds",
			Help:    "HTTP request latency by operation.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"operation"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// observe gives every request an id (X-Request-Id, taken from the client when it is sane), and
// after it is served writes one log line and counts it by operation and status.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !saneRequestID(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		info := &requestInfo{id: id, log: s.cfg.Logger.With("request_id", id)}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))

		op := info.operation
		if op == "" {
			op = "other"
		}
		elapsed := time.Since(start)
		s.metrics.requests.WithLabelValues(op, strconv.Itoa(rec.status)).Inc()
		s.metrics.latency.WithLabelValues(op).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		info.log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path,
			"operation", op, "status", rec.status, "bytes", rec.bytes,
			"duration_ms", float64(elapsed.Microseconds())/1000, "remote", r.RemoteAddr)
	})
}

// guardMetrics lets only the scraper read /metrics: with a MetricsToken, a caller sending it as
// a bearer token; without, a caller on the machine itself. A caller a reverse proxy forwards is
// not on the machine, whether or not the proxy is trusted (STEWARD_TRUSTED_PROXIES names the
// caller behind a trusted one).
func (s *Server) guardMetrics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.MetricsToken != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.cfg.MetricsToken)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				writeProblem(w, r, &Problem{Title: http.StatusText(http.StatusUnauthorized), Status: http.StatusUnauthorized,
					Code: domain.EUNAUTHORIZED, Detail: "send the metrics token (STEWARD_METRICS_TOKEN) as Authorization: Bearer"})
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if !s.fromLoopback(r) {
			writeProblem(w, r, &Problem{Title: http.StatusText(http.StatusForbidden), Status: http.StatusForbidden,
				Code: domain.EFORBIDDEN, Detail: "metrics are served to this machine only, unless STEWARD_METRICS_TOKEN is set"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// fromLoopback reports whether the caller is on this machine: the caller's address (clientIP) is
// a loopback one and no untrusted proxy says it forwards someone else.
func (s *Server) fromLoopback(r *http.Request) bool {
	ip, err := netip.ParseAddr(s.clientIP(r))
	if err != nil || !ip.Unmap().IsLoopback() {
		return false
	}
	forwarded := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != ""
	if !forwarded {
		return true
	}
	// A trusted proxy's hops were followed to the caller; an untrusted one on loopback that
	// forwards is a local proxy in front of remote callers.
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	return err == nil && s.trustedProxy(peer)
}

// labelled names the operation of a handler outside huma, for logs and metrics.
func labelled(op string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoFrom(r.Context()); info != nil {
			info.operation = op
		}
		h.ServeHTTP(w, r)
	})
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

type statusRecorder struct {
	http.ResponseWriter
	status      int
	bytes       int
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (flushing for Server-Sent Events).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
