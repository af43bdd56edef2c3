// Package api is Steward's HTTP interface: the huma operations of shared/API.md (one file per
// resource), error mapping to problem+json, request ids, logs and metrics, health checks and the
// embedded web app.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"

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
	Departments domain.DepartmentService
	Enterprises domain.EnterpriseService
	// Ready reports whether the database answers and its schema is current.
	Ready func(ctx context.Context) error
	// Metrics gathers the process's metrics; the server adds its own to it.
	Metrics *prometheus.Registry
	// WebApp is the built web app (frontend/dist); without an index.html a page says how to build it.
	WebApp fs.FS
}

// Server is the HTTP handler and the huma API behind it.
type Server struct {
	cfg     Config
	API     huma.API
	handler http.Handler
	metrics *httpMetrics
}

// New builds the server and registers every operation.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = prometheus.NewRegistry()
	}
	mux := http.NewServeMux()
	hc := huma.DefaultConfig("Steward API", cfg.Version)
	hc.Info.Description = "项目管家 — the district business-environment bureau's CRM for key enterprises and projects."
	hc.DocsPath = "" // the reference page comes from bundled files, never a CDN
	hc.CreateHooks = nil
	hc.SchemasPath = ""
	api := humago.New(mux, hc)
	s := &Server{cfg: cfg, API: api, metrics: newHTTPMetrics(cfg.Metrics)}
	api.UseMiddleware(func(ctx huma.Context, next func(huma.Context)) {
		if info := infoFrom(ctx.Context()); info != nil {
			info.operation = ctx.Operation().OperationID
		}
		next(ctx)
	})

	registerHealth(api, cfg.Ready)
	registerDepartments(api, cfg.Departments)
	registerEnterprises(api, cfg.Enterprises)

	mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Metrics, promhttp.HandlerOpts{}))
	mux.Handle("/", webApp(cfg.WebApp))
	s.handler = s.observe(mux)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// OpenAPI returns the OpenAPI 3.1 document as JSON.
func (s *Server) OpenAPI() ([]byte, error) { return s.API.OpenAPI().MarshalJSON() }
