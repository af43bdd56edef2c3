package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"steward/domain"
)

// AuthService implements domain.AuthService.
type AuthService struct {
	db *DB
	// LoginRate limits failed logins (STEWARD_LOGIN_RATE): at most Max in Window per address
	// and username, and AddressFactor times as many per address whatever the usernames — so that
	// the typos of one office behind a NAT do not lock its other users out, while one address
	// guessing many accounts is still stopped.
	LoginRate struct {
		Max           int
		Window        time.Duration
		AddressFactor int
	}
	// Notifier tells the owner of an account that failed logins locked it (in the inbox, and by
	// email when configured); nil tells no one.
	Notifier *Notifier
}

// NewAuthService returns an AuthService on db allowing 20 failed logins per address and username
// per 10 minutes, and 200 per address.
func NewAuthService(db *DB) *AuthService {
	s := &AuthService{db: db}
	s.LoginRate.Max, s.LoginRate.Window, s.LoginRate.AddressFactor = 20, 10*time.Minute, 10
	return s
}

var _ domain.AuthService = (*AuthService)(nil)

// tokenPrefix marks API tokens so that leaked ones can be recognized by secret scanners.
const tokenPrefix = "stw_"

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`
	TokenHash     []byte    `bun:"token_hash,pk"`
	UserID        string    `bun:"user_id,type:uuid,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
	LastSeenAt    time.Time `bun:"last_seen_at,notnull"`
	IP            string    `bun:"ip,notnull"`
	UserAgent     string    `bun:"user_agent,notnull"`
}

type tokenRow struct {
	bun.BaseModel `bun:"table:api_tokens,alias:t"`
	ID            string     `bun:"id,pk,type:uuid" json:"id"`
	UserID        string     `bun:"user_id,type:uuid,notnull" json:"user_id"`
	Name          string     `bun:"name,notnull" json:"name"`
	TokenHash     []byte     `bun:"token_hash,notnull" json:"-"`
	CreatedAt     time.Time  `bun:"created_at,notnull" json:"created_at"`
	ExpiresAt     time.Time  `bun:"expires_at,notnull" json:"expires_at"`
	LastUsedAt    *time.Time `bun:"last_used_at" json:"last_used_at"`
	RevokedAt     *time.Time `bun:"revoked_at" json:"revoked_at"`
}

func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func secretHash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

var errBadLogin = domain.Errorf(domain.EUNAUTHORIZED, "wrong username or password")

func (s *AuthService) Login(ctx context.Context, username, password, userAgent string) (*domain.User, string, error) {
	a := domain.ActorFrom(ctx)
	now := s.db.Now()
	username = strings.ToLower(strings.TrimSpace(username))

	var fromAddress, forUser int
	if err := s.db.Bun.NewSelect().Table("audit_log").ColumnExpr("count(*), count(*) FILTER (WHERE actor_name = ?)", username).
		Where("action = 'login_failed'").Where("ip = ?", a.IP).Where("at > ?", now.Add(-s.LoginRate.Window)).
		Scan(ctx, &fromAddress, &forUser); err != nil {
		return nil, "", translate(err)
	}
	if forUser >= s.LoginRate.Max || fromAddress >= s.LoginRate.Max*max(s.LoginRate.AddressFactor, 1) {
		return nil, "", domain.Errorf(domain.ETOOMANY, "too many failed logins from your address; wait a few minutes and try again")
	}

	// The password is checked before the transaction, against the row as it is now: argon2 takes
	// tens of milliseconds of CPU, and holding a pooled connection and the user's row lock that
	// long made a crowd of logins (a shift starting) queue for connections until they got 503s.
	// Every attempt costs one verification — against the account's hash, or a dummy one for an
	// unknown username — so the time of the answer tells no account apart. Inside the
	// transaction the locked row is checked again; a hash changed in between is verified anew.
	var seen userRow
	switch err := s.db.Bun.NewSelect().Model(&seen).Column("password_hash").Where("username = ?", username).Scan(ctx); {
	case err != nil && domain.ErrorCode(translate(err)) != domain.ENOTFOUND:
		return nil, "", translate(err)
	case err != nil:
		seen.PasswordHash = ""
	}
	verified := false
	if seen.PasswordHash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash)
	} else {
		ok, err := argon2id.ComparePasswordAndHash(password, seen.PasswordHash)
		if err != nil {
			return nil, "", err
		}
		verified = ok
	}

	var user *domain.User
	var token string
	var result error // the answer to give after the transaction commits the record of the attempt
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		// The audit record of an attempt names the user who tried, even before they are known.
		actx := domain.WithActor(ctx, &domain.Actor{Username: username, RequestID: a.RequestID, IP: a.IP})
		var r userRow
		err := tx.NewSelect().Model(&r).Where("username = ?", username).For("UPDATE").Scan(ctx)
		if err != nil && domain.ErrorCode(translate(err)) == domain.ENOTFOUND {
			result = errBadLogin
			return s.db.audit(actx, tx, "login_failed", "user", "", nil, map[string]any{"reason": "unknown username"})
		} else if err != nil {
			return translate(err)
		}
		actx = domain.WithActor(ctx, &domain.Actor{UserID: r.ID, Username: r.Username, Role: domain.Role(r.Role), RequestID: a.RequestID, IP: a.IP})

		if r.Status == string(domain.UserLocked) && r.LockedUntil != nil && !now.Before(*r.LockedUntil) {
			r.Status, r.FailedLogins, r.LockedUntil = string(domain.UserActive), 0, nil // the lockout has run out
		}
		switch domain.UserStatus(r.Status) {
		case domain.UserDisabled, domain.UserLocked:
			// The verification before the transaction was as much work as a wrong password's, so
			// the time of the answer does not tell which accounts are disabled or locked.
			reason := "disabled"
			result = errBadLogin
			if r.Status == string(domain.UserLocked) {
				result, reason = lockedError(r.LockedUntil), "locked"
			}
			return s.db.audit(actx, tx, "login_failed", "user", r.ID, nil, map[string]any{"reason": reason})
		}

		ok := verified
		if r.PasswordHash != seen.PasswordHash { // changed (or created) since it was read: check what is stored now
			if ok, err = argon2id.ComparePasswordAndHash(password, r.PasswordHash); err != nil {
				return err
			}
		}
		if !ok {
			r.FailedLogins++
			reason := "wrong password"
			result = errBadLogin
			if r.FailedLogins >= domain.MaxFailedLogins {
				until := now.Add(domain.LockoutPeriod)
				r.Status, r.LockedUntil = string(domain.UserLocked), &until
				reason = "wrong password; account locked"
				result = lockedError(&until)
				if err := s.notifyLocked(ctx, tx, &r, a.IP, until); err != nil {
					return err
				}
			}
			if _, err := tx.NewUpdate().Model(&r).Column("status", "failed_logins", "locked_until").WherePK().Exec(ctx); err != nil {
				return translate(err)
			}
			return s.db.audit(actx, tx, "login_failed", "user", r.ID, nil, map[string]any{"reason": reason, "failed_logins": r.FailedLogins})
		}

		r.FailedLogins, r.LastLoginAt = 0, &now
		if _, err := tx.NewUpdate().Model(&r).Column("status", "failed_logins", "locked_until", "last_login_at").WherePK().Exec(ctx); err != nil {
			return translate(err)
		}
		token = newSecret()
		if _, err := tx.NewInsert().Model(&sessionRow{
			TokenHash: secretHash(token), UserID: r.ID, CreatedAt: now, LastSeenAt: now,
			IP: a.IP, UserAgent: truncate(userAgent, 300),
		}).Exec(ctx); err != nil {
			return translate(err)
		}
		user = r.toDomain()
		return s.db.audit(actx, tx, "login", "user", r.ID, nil, nil)
	})
	if err != nil {
		return nil, "", err
	}
	if result != nil {
		return nil, "", result
	}
	return user, token, nil
}

// notifyLocked tells the owner of an account that failed logins locked it: someone may be
// guessing their password.
func (s *AuthService) notifyLocked(ctx context.Context, tx bun.Tx, r *userRow, ip string, until time.Time) error {
	if s.Notifier == nil {
		return nil
	}
	at := func(t time.Time) string { return t.In(domain.Shanghai).Format("2006-01-02 15:04") }
	n := domain.Notification{Kind: domain.NotifyAccountLocked, Urgent: true, Link: "/me",
		Title: "您的账号因连续登录失败已被锁定",
		Body: fmt.Sprintf("%s 起，来自地址 %s 的登录连续 %d 次密码错误，账号已锁定至 %s。如果不是您本人在尝试，请联系系统管理员并修改密码。",
			at(s.db.Now()), ip, domain.MaxFailedLogins, at(until))}
	_, err := s.Notifier.Notify(ctx, tx, n, []string{r.ID}, "account_locked:"+r.ID+":"+until.UTC().Format(time.RFC3339))
	return err
}

func lockedError(until *time.Time) error {
	msg := "the account is locked after too many failed logins"
	if until != nil {
		msg += "; try again after " + until.In(domain.Shanghai).Format("15:04") + " or ask an administrator to unlock it"
	}
	return domain.Errorf(domain.ELOCKED, "%s", msg)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func (s *AuthService) Logout(ctx context.Context, token string) error {
	return s.db.InTx(ctx, func(tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*sessionRow)(nil)).Where("token_hash = ?", secretHash(token)).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		a := domain.ActorFrom(ctx)
		return s.db.audit(ctx, tx, "logout", "user", a.UserID, nil, nil)
	})
}

var errNoSession = domain.Errorf(domain.EUNAUTHORIZED, "your session has ended; log in again")

func (s *AuthService) Session(ctx context.Context, token string) (*domain.Actor, error) {
	now := s.db.Now()
	// The session and its user in one round trip: every request of a logged-in user makes it.
	var row struct {
		userRow
		SessionCreatedAt  time.Time `bun:"session_created_at"`
		SessionLastSeenAt time.Time `bun:"session_last_seen_at"`
	}
	hash := secretHash(token)
	err := s.db.Bun.NewRaw(`SELECT u.*, s.created_at AS session_created_at, s.last_seen_at AS session_last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hash).Scan(ctx, &row)
	if err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENOTFOUND {
			return nil, errNoSession
		}
		return nil, translate(err)
	}
	u := row.userRow
	sess := sessionRow{TokenHash: hash, UserID: u.ID, CreatedAt: row.SessionCreatedAt, LastSeenAt: row.SessionLastSeenAt}
	// A lockout stops new logins only: someone guessing a user's password must not end the
	// sessions the user already has. Disabling does end them.
	if now.Sub(sess.LastSeenAt) > domain.SessionIdle || now.Sub(sess.CreatedAt) > domain.SessionLifetime || u.Status == string(domain.UserDisabled) {
		_, _ = s.db.Bun.NewDelete().Model((*sessionRow)(nil)).Where("token_hash = ?", sess.TokenHash).Exec(ctx)
		return nil, errNoSession
	}
	if now.Sub(sess.LastSeenAt) > time.Minute && !domain.IsPassive(ctx) { // one write a minute keeps the idle clock honest
		_, _ = s.db.Bun.NewUpdate().Model((*sessionRow)(nil)).Set("last_seen_at = ?", now).
			Where("token_hash = ?", sess.TokenHash).Exec(ctx)
	}
	a := u.actor()
	a.SessionToken = token
	return a, nil
}

func (s *AuthService) Bearer(ctx context.Context, token string) (*domain.Actor, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "invalid token")
	}
	now := s.db.Now()
	var t tokenRow
	if err := s.db.Bun.NewSelect().Model(&t).Where("token_hash = ?", secretHash(token)).Where("revoked_at IS NULL").
		Where("expires_at > ?", now).Scan(ctx); err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENOTFOUND {
			return nil, domain.Errorf(domain.EUNAUTHORIZED, "invalid, expired or revoked token")
		}
		return nil, translate(err)
	}
	var u userRow
	if err := get(ctx, s.db.Bun, &u, t.UserID, nil); err != nil {
		return nil, err
	}
	if u.Status == string(domain.UserDisabled) {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "the token's user is disabled")
	}
	if (t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute) && !domain.IsPassive(ctx) {
		_, _ = s.db.Bun.NewUpdate().Model((*tokenRow)(nil)).Set("last_used_at = ?", now).Where("id = ?", t.ID).Exec(ctx)
	}
	// A user who must change their password is held to that with a token as with a session.
	return u.actor(), nil
}

func (s *AuthService) Me(ctx context.Context) (*domain.User, error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() {
		return nil, domain.Forbidden(a, "")
	}
	var r userRow
	if err := get(ctx, s.db.Bun, &r, a.UserID, nil); err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

func (s *AuthService) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() {
		return domain.Forbidden(a, "")
	}
	return s.db.InTx(ctx, func(tx bun.Tx) error {
		var r userRow
		if err := tx.NewSelect().Model(&r).Where("id = ?", a.UserID).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		ok, err := argon2id.ComparePasswordAndHash(oldPassword, r.PasswordHash)
		if err != nil {
			return err
		}
		if !ok {
			return &domain.Error{Code: domain.EINVALID, Message: "the current password is wrong",
				Fields: []domain.FieldError{{Field: "old_password", Message: "is wrong"}}}
		}
		if oldPassword == newPassword {
			return &domain.Error{Code: domain.EINVALID, Message: "choose a new password",
				Fields: []domain.FieldError{{Field: "new_password", Message: "must differ from the current password"}}}
		}
		if err := domain.CheckPassword(newPassword, r.Username); err != nil {
			if de, ok := err.(*domain.Error); ok {
				for i := range de.Fields {
					de.Fields[i].Field = "new_password"
				}
			}
			return err
		}
		hash, err := hashPassword(newPassword)
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(&r).Set("password_hash = ?", hash).Set("must_change_password = false").
			Set("password_changed_at = ?", s.db.Now()).Set("version = version + 1").WherePK().Exec(ctx); err != nil {
			return translate(err)
		}
		if err := endSessions(ctx, tx, r.ID, a.SessionToken); err != nil {
			return err
		}
		return s.db.audit(ctx, tx, "password_changed", "user", r.ID, nil, nil)
	})
}

// endSessions ends every session of a user but the one of keepToken (if any), and revokes every
// API token of theirs: a password change or reset and a disabled account leave no credential
// made before them.
func endSessions(ctx context.Context, tx bun.Tx, userID, keepToken string) error {
	q := tx.NewDelete().Model((*sessionRow)(nil)).Where("user_id = ?", userID)
	if keepToken != "" {
		q = q.Where("token_hash <> ?", secretHash(keepToken))
	}
	if _, err := q.Exec(ctx); err != nil {
		return translate(err)
	}
	_, err := tx.NewUpdate().Model((*tokenRow)(nil)).Set("revoked_at = now()").
		Where("user_id = ?", userID).Where("revoked_at IS NULL").Exec(ctx)
	return translate(err)
}

func (s *AuthService) CreateToken(ctx context.Context, name string, days int) (*domain.Token, string, error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() || a.MustChangePassword {
		return nil, "", domain.Forbidden(a, "create tokens")
	}
	if a.SessionToken == "" {
		// A token that could make tokens would outlive everything: a leaked one would buy a
		// permanent credential.
		return nil, "", domain.Errorf(domain.EFORBIDDEN, "API tokens are made from a login session, never with another token")
	}
	var v domain.Validation
	name = strings.TrimSpace(name)
	n := len([]rune(name))
	v.Check(n >= 1 && n <= 100, "name", "must be 1 to 100 characters")
	if days == 0 {
		days = domain.DefaultTokenDays
	}
	v.Check(days >= 1 && days <= domain.MaxTokenDays, "expires_in_days", "must be 1 to %d days", domain.MaxTokenDays)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	secret := tokenPrefix + newSecret()
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	r := &tokenRow{ID: uuid.Must(uuid.NewV7()).String(), UserID: a.UserID, Name: name, TokenHash: secretHash(secret),
		CreatedAt: now, ExpiresAt: now.AddDate(0, 0, days)}
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return translate(err)
		}
		return s.db.audit(ctx, tx, "create", "api_token", r.ID, nil, r)
	})
	if err != nil {
		return nil, "", err
	}
	return r.toDomain(), secret, nil
}

func (r *tokenRow) toDomain() *domain.Token {
	return &domain.Token{ID: r.ID, UserID: r.UserID, Name: r.Name, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt,
		LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt}
}

func (s *AuthService) Tokens(ctx context.Context) ([]domain.Token, error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() {
		return nil, domain.Forbidden(a, "")
	}
	var rows []tokenRow
	if err := s.db.Bun.NewSelect().Model(&rows).Where("user_id = ?", a.UserID).Order("created_at DESC").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Token, len(rows))
	for i := range rows {
		out[i] = *rows[i].toDomain()
	}
	return out, nil
}

func (s *AuthService) RevokeToken(ctx context.Context, id string) error {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() {
		return domain.Forbidden(a, "")
	}
	if uuid.Validate(id) != nil {
		return errNotFound
	}
	return s.db.InTx(ctx, func(tx bun.Tx) error {
		var r tokenRow
		if err := tx.NewSelect().Model(&r).Where("id = ?", id).Where("user_id = ?", a.UserID).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		if r.RevokedAt != nil {
			return nil
		}
		now := s.db.Now()
		r.RevokedAt = &now
		if _, err := tx.NewUpdate().Model(&r).Column("revoked_at").WherePK().Exec(ctx); err != nil {
			return translate(err)
		}
		return s.db.audit(ctx, tx, "revoke", "api_token", r.ID, nil, nil)
	})
}

// EndExpiredSessions implements domain.SessionSweeper: sessions past their idle or absolute
// timeout are removed (a session is also refused and removed when it comes back expired).
func (s *AuthService) EndExpiredSessions(ctx context.Context) (int, error) {
	now := s.db.Now()
	res, err := s.db.Bun.NewDelete().Model((*sessionRow)(nil)).
		Where("last_seen_at < ? OR created_at < ?", now.Add(-domain.SessionIdle), now.Add(-domain.SessionLifetime)).
		Exec(ctx)
	if err != nil {
		return 0, translate(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
