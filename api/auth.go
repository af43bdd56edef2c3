package api

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "steward_session"

// publicOps may be called without logging in.
var publicOps = map[string]bool{"get-health": true, "get-readiness": true, "login": true}

// passwordChangeOps are all a user who must change their password may do.
var passwordChangeOps = map[string]bool{"get-me": true, "change-password": true, "logout": true}

// authenticate puts the request's actor into its context: the user of the session cookie or of
// the bearer token, or an anonymous caller. Which operations need a user is decided per
// operation (requireUser), so a stale cookie on the login page does no harm.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := &domain.Actor{RequestID: RequestID(r.Context()), IP: s.clientIP(r)}
		if s.cfg.Auth != nil {
			var resolved *domain.Actor
			var err error
			info := infoFrom(r.Context())
			if info == nil {
				info = &requestInfo{}
			}
			if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
				info.bearer = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
			} else if c, cerr := r.Cookie(SessionCookie); cerr == nil && c.Value != "" {
				info.session = c.Value
			}
			ctx := r.Context()
			if r.URL.Path == Prefix+"/notifications/stream" {
				ctx = domain.Passive(ctx) // a live stream is not the user at work
			}
			resolved, err = s.credential(ctx, info)
			switch domain.ErrorCode(err) {
			case "":
				if resolved != nil {
					resolved.RequestID, resolved.IP = a.RequestID, a.IP
					a = resolved
				}
			case domain.EUNAUTHORIZED:
			default:
				// The caller stays anonymous; operations that need a user answer with this error
				// (requireUser), while /healthz and /readyz still say how the process is.
				if info := infoFrom(r.Context()); info != nil {
					info.authErr = err
				}
			}
		}
		if info := infoFrom(r.Context()); info != nil && a.UserID != "" {
			info.log = info.log.With("user", a.Username)
		}
		next.ServeHTTP(w, r.WithContext(domain.WithActor(r.Context(), a)))
	})
}

// credential resolves the session or token of a request (none: no actor, no error). A long
// request calls it again to learn whether its credential still holds.
func (s *Server) credential(ctx context.Context, info *requestInfo) (*domain.Actor, error) {
	switch {
	case info.bearer != "":
		return s.cfg.Auth.Bearer(ctx, info.bearer)
	case info.session != "":
		return s.cfg.Auth.Session(ctx, info.session)
	}
	return nil, nil
}

// requireUser is the huma middleware that refuses operations to anonymous callers (401) and
// everything but the password change to users who must change their password (403).
func requireUser(api huma.API) func(ctx huma.Context, next func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		op := ctx.Operation().OperationID
		a := domain.ActorFrom(ctx.Context())
		info := infoFrom(ctx.Context())
		switch {
		case publicOps[op]:
		case info != nil && info.authErr != nil:
			_ = huma.WriteErr(api, ctx, http.StatusInternalServerError, "", info.authErr)
			return
		case !a.LoggedIn():
			_ = huma.WriteErr(api, ctx, 0, "", domain.Errorf(domain.EUNAUTHORIZED, "log in first"))
			return
		case a.MustChangePassword && !passwordChangeOps[op]:
			_ = huma.WriteErr(api, ctx, 0, "", domain.Errorf(domain.EFORBIDDEN, "your password was set by an administrator; change it first (POST /api/v1/me/password)"))
			return
		}
		next(ctx)
	}
}

type meBody struct {
	ID                 string     `json:"id" format:"uuid"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"display_name"`
	Role               string     `json:"role"`
	DepartmentID       *string    `json:"department_id" format:"uuid"`
	EnterpriseID       *string    `json:"enterprise_id" format:"uuid"`
	Phone              string     `json:"phone"`
	Email              string     `json:"email"`
	MustChangePassword bool       `json:"must_change_password" doc:"An administrator set the password; change it before anything else"`
	LastLoginAt        *time.Time `json:"last_login_at"`
}

// loginBody is the answer to a login (shared/API.md: `200 {user}`).
type loginBody struct {
	User meBody `json:"user" doc:"Who logged in; must_change_password says whether they must choose a password first"`
}

func toMeBody(u *domain.User) meBody {
	return meBody{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: string(u.Role),
		DepartmentID: optional(u.DepartmentID), EnterpriseID: optional(u.EnterpriseID), Phone: u.Phone,
		Email: u.Email, MustChangePassword: u.MustChangePassword, LastLoginAt: u.LastLoginAt}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type tokenBody struct {
	ID         string     `json:"id" format:"uuid"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at" doc:"After this the token is refused"`
	LastUsedAt *time.Time `json:"last_used_at" doc:"When a request last came with it (to the minute)"`
	RevokedAt  *time.Time `json:"revoked_at" doc:"Revoked by its owner, or with every credential of the user when their password changed or was reset or the account was disabled"`
}

type newTokenBody struct {
	ID        string    `json:"id" format:"uuid"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Token     string    `json:"token" doc:"Send as Authorization: Bearer <token>; shown only now"`
}

func toTokenBody(t *domain.Token) tokenBody {
	return tokenBody{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

func (s *Server) registerAuth(api huma.API) {
	svc := s.cfg.Auth
	tags := []string{"Auth"}
	register(api, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: Prefix + "/auth/login", Tags: tags,
		Summary: "Log in; sets the session cookie",
		Description: "A wrong username or password answers 401 alike, in the same time; 5 wrong passwords lock the account " +
			"for 30 minutes (423) and tell its owner. Too many failures from the caller's address answer 429: " +
			"STEWARD_LOGIN_RATE (default 20 in 10 minutes) for one username, ten times that for the address as a whole.",
		Errors: []int{http.StatusUnauthorized, http.StatusLocked, http.StatusTooManyRequests, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		UserAgent string `header:"User-Agent"`
		Body      struct {
			Username string `json:"username" minLength:"1" maxLength:"64"`
			Password string `json:"password" minLength:"1" maxLength:"200"`
		}
	}) (*struct {
		SetCookie http.Cookie `header:"Set-Cookie"`
		Body      loginBody
	}, error) {
		u, token, err := svc.Login(ctx, in.Body.Username, in.Body.Password, in.UserAgent)
		if err != nil {
			return nil, err
		}
		out := &struct {
			SetCookie http.Cookie `header:"Set-Cookie"`
			Body      loginBody
		}{Body: loginBody{User: toMeBody(u)}}
		out.SetCookie = http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies, MaxAge: int(domain.SessionLifetime.Seconds())}
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: Prefix + "/auth/logout", Tags: tags,
		Summary: "Log out; ends the session", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *struct {
		Session string `cookie:"steward_session"`
	}) (*struct {
		SetCookie http.Cookie `header:"Set-Cookie"`
	}, error) {
		if in.Session != "" {
			if err := svc.Logout(ctx, in.Session); err != nil {
				return nil, err
			}
		}
		return &struct {
			SetCookie http.Cookie `header:"Set-Cookie"`
		}{http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
			Secure: s.cfg.SecureCookies, MaxAge: -1}}, nil
	})

	register(api, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: Prefix + "/me", Tags: tags,
		Summary: "Who I am",
	}, func(ctx context.Context, _ *struct{}) (*struct{ Body meBody }, error) {
		u, err := svc.Me(ctx)
		if err != nil {
			return nil, err
		}
		return &struct{ Body meBody }{toMeBody(u)}, nil
	})

	register(api, huma.Operation{
		OperationID: "change-password", Method: http.MethodPost, Path: Prefix + "/me/password", Tags: tags,
		Summary: "Change my password", DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Body struct {
			OldPassword string `json:"old_password" maxLength:"200"`
			NewPassword string `json:"new_password" maxLength:"200" doc:"At least 8 characters of 3 kinds (lower, upper, digits, symbols), not a common password"`
		}
	}) (*struct{}, error) {
		return nil, svc.ChangePassword(ctx, in.Body.OldPassword, in.Body.NewPassword)
	})

	register(api, huma.Operation{
		OperationID: "list-my-tokens", Method: http.MethodGet, Path: Prefix + "/me/tokens", Tags: tags,
		Summary: "My API tokens (without their secrets)",
	}, func(ctx context.Context, _ *struct{}) (*struct {
		Body struct {
			Items []tokenBody `json:"items"`
		}
	}, error) {
		ts, err := svc.Tokens(ctx)
		if err != nil {
			return nil, err
		}
		out := &struct {
			Body struct {
				Items []tokenBody `json:"items"`
			}
		}{}
		out.Body.Items = make([]tokenBody, len(ts))
		for i := range ts {
			out.Body.Items[i] = toTokenBody(&ts[i])
		}
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "create-my-token", Method: http.MethodPost, Path: Prefix + "/me/tokens", Tags: tags,
		Summary: "Create an API token; its secret is shown only now", DefaultStatus: http.StatusCreated,
		Description: "Only with a login session (the cookie): a token never makes another token (403). The token " +
			"expires after expires_in_days, and ends with every session of mine when my password changes or is reset " +
			"or my account is disabled.",
		Errors: []int{http.StatusForbidden, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Body struct {
			Name          string `json:"name" minLength:"1" maxLength:"100" example:"12345 hotline"`
			ExpiresInDays int    `json:"expires_in_days,omitempty" minimum:"1" maximum:"365" default:"90" doc:"How many days the token is valid (default 90, at most 365)"`
		}
	}) (*struct{ Body newTokenBody }, error) {
		t, secret, err := svc.CreateToken(ctx, in.Body.Name, in.Body.ExpiresInDays)
		if err != nil {
			return nil, err
		}
		return &struct{ Body newTokenBody }{newTokenBody{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, Token: secret}}, nil
	})

	register(api, huma.Operation{
		OperationID: "revoke-my-token", Method: http.MethodDelete, Path: Prefix + "/me/tokens/{id}", Tags: tags,
		Summary: "Revoke one of my API tokens", DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{}, error) {
		return nil, svc.RevokeToken(ctx, in.ID)
	})
}

// trustedProxy reports whether the address h is one of STEWARD_TRUSTED_PROXIES.
func (s *Server) trustedProxy(h string) bool {
	ip, err := netip.ParseAddr(strings.TrimSpace(h))
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// clientIP is the caller's address, for the audit log and the login rate limit: the peer's,
// or, when the peer is a trusted reverse proxy (STEWARD_TRUSTED_PROXIES), the nearest address in
// X-Forwarded-For that is not one of ours. Untrusted peers cannot choose their address.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	trusted := s.trustedProxy
	if !trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(h); err != nil {
			break
		}
		if !trusted(h) {
			return h
		}
	}
	return host
}
