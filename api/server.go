// Package api is Steward's HTTP interface: the huma operations of shared/API.md (one file per
// resource), error mapping to problem+json, request ids, logs and metrics, health checks and the
// embedded web app.
package api

import (
	"context"
	"fmt"
	"io/fs"
	"log"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"steward/domain"
)

// Prefix is the base path of every API operation.
const Prefix = "/api/v1"

// Config holds what the handlers need. Services may be nil when the server is built only to
// print its OpenAPI document.
type Config struct {
	Version     string
	Logger      *slog.Logger
	Auth        domain.AuthService
	Users       domain.UserService
	Audit       domain.AuditService
	Departments domain.DepartmentService
	Enterprises domain.EnterpriseService
	Projects    domain.ProjectService
	Assignments domain.AssignmentService
	Timeline    domain.TimelineService
	Categories  domain.CategoryService
	Calendar    domain.CalendarService
	Tickets     domain.TicketService
	// Attachments stores files attached to tickets and the photos of visits.
	Attachments domain.AttachmentService
	Visits      domain.VisitService
	// Imports takes enterprise spreadsheets to import (the job that works them runs elsewhere).
	Imports domain.ImportService
	// Notifications is the caller's inbox; NotificationFeed pushes new ones to event streams.
	Notifications    domain.NotificationService
	NotificationFeed domain.NotificationFeed
	// Webhooks are the outgoing webhooks of notifications (administrators).
	Webhooks domain.WebhookService
	// Stats are the supervision statistics and the monthly report.
	Stats domain.StatsService
	// Plans are the approval plans (审批节点计划) of projects and their templates.
	Plans domain.PlanService
	// RiverUI is River's web UI for the job queue, served to administrators at RiverUIPath; nil
	// (tests, the OpenAPI document) answers 404 there.
	RiverUI http.Handler
	// SecureCookies marks cookies Secure and sends HSTS (STEWARD_SECURE_COOKIES, behind TLS); an
	// https BaseURL does too.
	SecureCookies bool
	// BaseURL is where people reach Steward (STEWARD_BASE_URL).
	BaseURL string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the caller
	// (STEWARD_TRUSTED_PROXIES); empty: the peer address is the caller's.
	TrustedProxies []netip.Prefix
	// StreamRecheck is how often an open event stream checks that its session or token still
	// holds, ending when it does not (logout, expiry, a disabled account); zero: every minute.
	StreamRecheck time.Duration
	// Ready reports whether the database answers and its schema is current.
	Ready func(ctx context.Context) error
	// Warnings are conditions of the deployment an operator must hear of (a single-role
	// database setup); /readyz lists them in its details.
	Warnings []string
	// Metrics gathers the process's metrics; the server adds its own to it.
	Metrics *prometheus.Registry
	// MetricsToken, when set, is the bearer token /metrics asks for (STEWARD_METRICS_TOKEN);
	// unset, /metrics answers loopback callers only.
	MetricsToken string
	// WebApp is the built web app (frontend/dist); without an index.html a page says how to build it.
	WebApp fs.FS
}

// Complete reports a service the program forgot to give the server, which would otherwise
// surface as a crash on the first request that needs it.
func (c Config) Complete() error {
	v := reflect.ValueOf(c)
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if (f.Kind() == reflect.Interface || f.Kind() == reflect.Func) && f.IsNil() {
			return fmt.Errorf("api: Config.%s is not set", v.Type().Field(i).Name)
		}
	}
	return nil
}

// Server is the HTTP handler and the huma API behind it.
type Server struct {
	cfg     Config
	API     huma.API
	handler http.Handler
	metrics *httpMetrics
	// streams is done when the server shuts down, which ends the event streams (CloseStreams).
	streams      context.Context
	closeStreams context.CancelFunc
}

// New builds the server and registers every operation.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = prometheus.NewRegistry()
	}
	if cfg.StreamRecheck <= 0 {
		cfg.StreamRecheck = time.Minute
	}
	if u, err := url.Parse(cfg.BaseURL); err == nil && strings.EqualFold(u.Scheme, "https") {
		cfg.SecureCookies = true // reached over TLS: a cookie sent in clear would be a mistake
	}
	mux := http.NewServeMux()
	hc := huma.DefaultConfig("Steward API", cfg.Version)
	hc.Info.Description = "项目管家 — the district business-environment bureau's CRM for key enterprises and projects."
	hc.DocsPath = "" // the reference page comes from bundled files, never a CDN
	hc.CreateHooks = nil
	hc.SchemasPath = ""
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"session": {Type: "apiKey", In: "cookie", Name: SessionCookie, Description: "Set by POST /api/v1/auth/login"},
		"bearer":  {Type: "http", Scheme: "bearer", Description: "A token from POST /api/v1/me/tokens"},
	}
	hc.Security = []map[string][]string{{"session": {}}, {"bearer": {}}}
	api := humago.New(mux, hc)
	s := &Server{cfg: cfg, API: api, metrics: newHTTPMetrics(cfg.Metrics)}
	s.streams, s.closeStreams = context.WithCancel(context.Background())
	api.UseMiddleware(func(ctx huma.Context, next func(huma.Context)) {
		if info := infoFrom(ctx.Context()); info != nil {
			info.operation = ctx.Operation().OperationID
		}
		next(ctx)
	})
	api.UseMiddleware(requireUser(api))

	registerHealth(api, cfg.Ready, cfg.Warnings)
	s.registerAuth(api)
	registerUsers(api, cfg.Users)
	registerAudit(api, cfg.Audit)
	registerDepartments(api, cfg.Departments)
	registerEnterprises(api, cfg.Enterprises)
	registerProjects(api, cfg.Projects)
	registerAssignments(api, cfg.Assignments)
	registerTimeline(api, cfg.Timeline)
	registerCategories(api, cfg.Categories)
	registerCalendar(api, cfg.Calendar)
	registerTickets(api, cfg.Tickets)
	registerAttachments(api, cfg.Attachments)
	registerVisits(api, cfg.Visits)
	registerVisitPhotos(api, cfg.Attachments)
	registerImports(api, cfg.Imports)
	registerExports(api, cfg.Enterprises)
	s.registerNotifications(api)
	registerWebhooks(api, cfg.Webhooks)
	registerStats(api, cfg.Stats)
	registerPlans(api, cfg.Plans)
	for _, op := range api.OpenAPI().Paths {
		for _, o := range []*huma.Operation{op.Get, op.Post, op.Put, op.Patch, op.Delete} {
			if o != nil && publicOps[o.OperationID] {
				o.Security = []map[string][]string{}
			}
		}
	}

	mux.Handle("GET /metrics", labelled("metrics", s.guardMetrics(promhttp.HandlerFor(cfg.Metrics, promhttp.HandlerOpts{}))))
	s.mountRiverUI(mux)
	mountDocs(mux) // the API reference page, from bundled files
	mux.Handle("/", labelled("web-app", webApp(cfg.WebApp)))
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, &Problem{Title: http.StatusText(http.StatusForbidden), Status: http.StatusForbidden,
			Code: domain.EFORBIDDEN, Detail: "cross-origin requests that change state are refused"})
	}))
	s.handler = s.observe(s.secure(cop.Handler(s.authenticate(mux))))
	return s
}

// contentSecurityPolicy allows only the app's own scripts (no inline script), styles inline
// (Ant Design injects them), images from the app and data URLs, and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers on every response, and no-store on the API's.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		if isAPIPath(r.URL.Path) {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// OpenAPI returns the OpenAPI 3.1 document as JSON.
func (s *Server) OpenAPI() ([]byte, error) { return s.API.OpenAPI().MarshalJSON() }

// Timeouts bound how long a client may hold a connection; see DefaultTimeouts.
type Timeouts struct {
	// ReadHeader is how long a client has to send a request's headers: a slow one (slowloris)
	// is cut off.
	ReadHeader time.Duration
	// Read is how long a client has to send a whole request; uploads get longer, by their size
	// (uploadDeadline).
	Read time.Duration
	// Write is how long the answer may take; event streams and exports move their own deadline
	// on as they write, so they are not cut.
	Write time.Duration
	// Idle is how long a kept-alive connection waits for the next request.
	Idle time.Duration
}

// DefaultTimeouts are the timeouts of the server steward serve runs.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: time.Minute, Write: 5 * time.Minute, Idle: 2 * time.Minute}

// HTTPServer returns an http.Server for the handler with the timeouts t (zero fields take the
// DefaultTimeouts), logging its own errors to errorLog.
func (s *Server) HTTPServer(t Timeouts, errorLog *log.Logger) *http.Server {
	or := func(d, def time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return def
	}
	d := DefaultTimeouts
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: or(t.ReadHeader, d.ReadHeader),
		ReadTimeout:       or(t.Read, d.Read),
		WriteTimeout:      or(t.Write, d.Write),
		IdleTimeout:       or(t.Idle, d.Idle),
		ErrorLog:          errorLog,
	}
	srv.RegisterOnShutdown(s.CloseStreams) // event streams never end by themselves
	return srv
}
