package postgres

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"steward/domain"
)

// EnterpriseService implements domain.EnterpriseService.
type EnterpriseService struct {
	db *DB
	// walk is how many rows of the list's order a search by a fragment walks before it asks
	// the bigram index (searchWalk; the tests make it small).
	walk int
	// shares remembers fragmentShare's estimates for a while: they change only when the
	// statistics do, and asking costs a round trip and a plan, more than a rare fragment's
	// search itself.
	sharesMu sync.Mutex
	shares   map[string]shareEstimate
}

type shareEstimate struct {
	share float64
	at    time.Time
}

// shareTTL is how long an estimate is reused; sharesMax bounds how many are kept (all are
// dropped when it is reached: a cache of the fragments people type, not of every one).
const (
	shareTTL  = 10 * time.Minute
	sharesMax = 4096
)

// NewEnterpriseService returns an EnterpriseService on db.
func NewEnterpriseService(db *DB) *EnterpriseService {
	return &EnterpriseService{db: db, walk: searchWalk}
}

var _ domain.EnterpriseService = (*EnterpriseService)(nil)

type enterpriseRow struct {
	bun.BaseModel `bun:"table:enterprises,alias:e"`
	meta
	Name                string        `bun:"name,notnull" json:"name"`
	CreditCode          string        `bun:"credit_code,notnull" json:"credit_code"`
	LegalRepresentative string        `bun:"legal_representative,notnull" json:"legal_representative"`
	Industry            string        `bun:"industry,notnull" json:"industry"`
	Scale               string        `bun:"scale,notnull" json:"scale"`
	KeyLevel            string        `bun:"key_level,notnull" json:"key_level"`
	Address             string        `bun:"address,notnull" json:"address"`
	Street              string        `bun:"street,notnull" json:"street"`
	Tags                []string      `bun:"tags,array,notnull" json:"tags"`
	Contacts            []contactJSON `bun:"contacts,type:jsonb,notnull" json:"contacts"`
	Status              string        `bun:"status,notnull" json:"status"`
	NamePinyin          string        `bun:"name_pinyin,notnull" json:"-"`
	NameInitials        string        `bun:"name_initials,notnull" json:"-"`
}

type contactJSON struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

func toEnterpriseRow(e *domain.Enterprise) *enterpriseRow {
	r := &enterpriseRow{
		meta: meta{ID: e.ID, Version: e.Version, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt},
	}
	r.set(e)
	return r
}

// set copies e's editable fields into r.
func (r *enterpriseRow) set(e *domain.Enterprise) {
	r.Name, r.CreditCode, r.LegalRepresentative = e.Name, e.CreditCode, e.LegalRepresentative
	r.Industry, r.Scale, r.KeyLevel = e.Industry, string(e.Scale), string(e.KeyLevel)
	r.Address, r.Street, r.Status = e.Address, e.Street, string(e.Status)
	r.NamePinyin, r.NameInitials = namePinyin(e.Name)
	r.Tags = append([]string{}, e.Tags...)
	r.Contacts = make([]contactJSON, len(e.Contacts))
	for i, c := range e.Contacts {
		r.Contacts[i] = contactJSON(c)
	}
}

func (r *enterpriseRow) toDomain() *domain.Enterprise {
	e := &domain.Enterprise{
		ID: r.ID, Name: r.Name, CreditCode: r.CreditCode, LegalRepresentative: r.LegalRepresentative,
		Industry: r.Industry, Scale: domain.Scale(r.Scale), KeyLevel: domain.KeyLevel(r.KeyLevel),
		Address: r.Address, Street: r.Street, Tags: append([]string{}, r.Tags...),
		Contacts: make([]domain.Contact, len(r.Contacts)), Status: domain.EnterpriseStatus(r.Status),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	for i, c := range r.Contacts {
		e.Contacts[i] = domain.Contact(c)
	}
	return e
}

// forActor converts r for the actor of ctx: masked unless they see full contacts.
func (r *enterpriseRow) forActor(a *domain.Actor) *domain.Enterprise {
	e := r.toDomain()
	if !domain.SeesFullContacts(a) {
		return e.Masked()
	}
	return e
}

// enterpriseScope narrows a query on enterprises (alias e) to the actor's scope.
func enterpriseScope(a *domain.Actor) func(*bun.SelectQuery) *bun.SelectQuery {
	s := domain.EnterpriseScope(a)
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		switch {
		case s.All:
			return q
		case s.Named:
			// Rows an integration names (by the id its lookup gave); the read paths refuse it
			// (Can ActRead), so nothing of them but id and name ever leaves.
			return q
		case s.EnterpriseID != "":
			return q.Where("e.id = ?", s.EnterpriseID)
		case s.AssignedTo != "":
			return q.Where("e.id IN ("+assignedEnterprisesSQL+")", s.AssignedTo, s.AssignedTo, s.AssignedTo, s.AssignedTo)
		case s.Department != "":
			// Officers see the basic profile of the enterprises whose tickets their department works.
			return q.Where("e.id IN (SELECT t.enterprise_id FROM tickets t WHERE t.department_id = ?)", s.Department)
		default:
			return noRows(q)
		}
	}
}

func (s *EnterpriseService) CreateEnterprise(ctx context.Context, e *domain.Enterprise) error {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActCreate, domain.ResEnterprise) {
		return domain.Forbidden(a, "register enterprises")
	}
	e.Status = domain.EnterpriseActive
	if err := e.Validate(); err != nil {
		return err
	}
	m := newMeta(s.db.Now())
	e.ID, e.Version, e.CreatedAt, e.UpdatedAt = m.ID, m.Version, m.CreatedAt, m.UpdatedAt
	return insert(ctx, s.db, toEnterpriseRow(e), "enterprise")
}

func (s *EnterpriseService) Enterprise(ctx context.Context, id string) (*domain.Enterprise, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResEnterprise) {
		return nil, domain.Forbidden(a, "read enterprises")
	}
	var r enterpriseRow
	if err := get(ctx, s.db.Bun, &r, id, enterpriseScope(a)); err != nil {
		return nil, err
	}
	return r.forActor(a), nil
}

func (s *EnterpriseService) RevealEnterprise(ctx context.Context, id string) (*domain.Enterprise, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActReveal, domain.ResEnterprise) {
		return nil, domain.Forbidden(a, "reveal enterprise contacts")
	}
	var r enterpriseRow
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		if err := get(ctx, tx, &r, id, enterpriseScope(a)); err != nil {
			return err
		}
		return s.db.audit(ctx, tx, "reveal", "enterprise", id, nil, map[string]any{"fields": []string{"contacts.phone"}})
	})
	if err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

// enterpriseKeyset lists newest first: UUIDv7 ids sort by creation time.
var enterpriseKeyset = keyset[enterpriseRow]{
	desc: true,
	key:  func(*enterpriseRow) []string { return nil },
	id:   func(r *enterpriseRow) string { return r.ID },
}

// enterpriseByName lists in pinyin order of the name, as Chinese users sort.
var enterpriseByName = keyset[enterpriseRow]{
	columns: []string{"e.name_pinyin"},
	key:     func(r *enterpriseRow) []string { return []string{r.NamePinyin} },
	id:      func(r *enterpriseRow) string { return r.ID },
}

// searchWalk is how many rows of the register's order a search by a fragment of a name may walk
// before it turns to the bigram index: two milliseconds of substring tests at most. It walks
// only when the fragment is estimated to fill the page well within them (in one name of 26 or
// more for a page of 50), and then it stops at the page's last match, a few hundred rows in.
const searchWalk = 2000

// assignedEnterprisesSQL selects the enterprises a user (the four arguments) answers for or
// serves now: assigned directly, or owning a project assigned to them. As steward and as
// leader in branches of their own, each an index-only scan of assignments_current_steward or
// _leader; "steward_id = ? OR leader_id = ?" in one branch made it a bitmap scan that read
// every assignment row (a steward's 334: a quarter of a portfolio page's buffers).
const assignedEnterprisesSQL = `SELECT a.subject_id FROM assignments a
	WHERE a.to_date IS NULL AND a.subject_type = 'enterprise' AND a.steward_id = ?
	UNION SELECT a.subject_id FROM assignments a
	WHERE a.to_date IS NULL AND a.subject_type = 'enterprise' AND a.leader_id = ?
	UNION SELECT p.enterprise_id FROM assignments a JOIN projects p ON p.id = a.subject_id
	WHERE a.to_date IS NULL AND a.subject_type = 'project' AND a.steward_id = ?
	UNION SELECT p.enterprise_id FROM assignments a JOIN projects p ON p.id = a.subject_id
	WHERE a.to_date IS NULL AND a.subject_type = 'project' AND a.leader_id = ?`

func (s *EnterpriseService) Enterprises(ctx context.Context, f domain.EnterpriseFilter, p domain.Page) (*domain.List[domain.Enterprise], error) {
	a := domain.ActorFrom(ctx)
	lookup := !domain.Can(a, domain.ActRead, domain.ResEnterprise)
	switch {
	case lookup && !domain.Can(a, domain.ActLookUp, domain.ResEnterprise):
		return nil, domain.Forbidden(a, "read enterprises")
	case lookup && f.CreditCode == "":
		return nil, domain.Forbidden(a, "list or export the register; look an enterprise up by its exact credit_code")
	}
	// The list's query but for q, afresh each time (a query is changed by running it).
	base := func() *bun.SelectQuery {
		q := enterpriseScope(a)(s.db.Bun.NewSelect().Model((*enterpriseRow)(nil)))
		if f.CreditCode != "" {
			code, err := domain.NormalizeCreditCode(f.CreditCode)
			if err != nil {
				code = strings.ToUpper(strings.TrimSpace(f.CreditCode)) // finds nothing, as a wrong code should
			}
			q = q.Where("e.credit_code = ?", code)
		}
		if f.StewardID != "" || f.LeaderID != "" {
			q = q.Where(`e.id IN (SELECT a.subject_id FROM assignments a WHERE a.to_date IS NULL AND a.subject_type = 'enterprise'
			AND (? = '' OR a.steward_id = nullif(?, '')::uuid) AND (? = '' OR a.leader_id = nullif(?, '')::uuid))`, f.StewardID, f.StewardID, f.LeaderID, f.LeaderID)
		}
		if f.KeyLevel != "" {
			q = q.Where("e.key_level = ?", f.KeyLevel)
		}
		if f.Industry != "" {
			q = q.Where("e.industry = upper(?)", f.Industry)
		}
		if f.Street != "" {
			q = q.Where("e.street = ?", f.Street)
		}
		if f.Status != "" {
			q = q.Where("e.status = ?", f.Status)
		}
		return q
	}
	ks := enterpriseKeyset
	if f.Sort == domain.SortByName {
		ks = enterpriseByName
	}
	like := escapeLike(f.Q)
	fragment := utf8.RuneCountInString(f.Q) >= 2 && !isPinyinQuery(f.Q)
	var (
		rows  []enterpriseRow
		next  string
		total *int
		err   error
	)
	walked := false
	if fragment && !p.WithTotal {
		// A common fragment (有限, 工业: thousands of names) fills the page within the first few
		// hundred rows of the list's order; a rare one (中国 at district scale: none) does not,
		// and the bigram index below answers it with a few rows. The planner's statistics of the
		// index say which it is, before walking costs up to s.walk row tests for nothing.
		share, err := s.fragmentShare(ctx, f.Q)
		if err != nil {
			return nil, err
		}
		if share*float64(s.walk) >= 1.5*float64(p.Normalize().Limit+1) {
			rows, next, walked, err = ks.pageWalking(ctx, s.db.Bun, base(), "e", p, s.walk,
				"(e.name ILIKE ? OR e.credit_code LIKE ?)", "%"+like+"%", strings.ToUpper(like)+"%")
			if err != nil {
				return nil, err
			}
		}
	}
	if !walked {
		q := base()
		switch {
		case fragment:
			// Served by the bigram index (migration 0022); the substring test keeps the answer
			// exact. As a subquery, so that the index's condition is not tested again on every
			// row it returns (as a branch of an OR it would be, at 20 µs a name), and strpos
			// (lower-cased, as ILIKE compares) rather than ILIKE so that the planner does not
			// add the trigram index, which cannot tell Chinese names apart and returns them all.
			q = q.Where(`e.id IN (SELECT x.id FROM enterprises x WHERE steward_bigrams(x.name) @> steward_bigrams(?)
				AND strpos(lower(x.name), lower(?)) > 0
				UNION ALL SELECT x.id FROM enterprises x WHERE x.credit_code LIKE ?)`, f.Q, f.Q, strings.ToUpper(like)+"%")
		case f.Q != "":
			q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
				q = q.Where("e.name ILIKE ?", "%"+like+"%").WhereOr("e.credit_code LIKE ?", strings.ToUpper(like)+"%")
				if isPinyinQuery(f.Q) {
					lower := strings.ToLower(like)
					q = q.WhereOr("e.name_pinyin LIKE ?", "%"+lower+"%").WhereOr("e.name_initials LIKE ?", "%"+lower+"%")
				}
				return q
			})
		}
		rows, next, total, err = ks.page(ctx, q, p)
		if err != nil {
			return nil, err
		}
	}
	if lookup {
		return toList(rows, next, total, func(r *enterpriseRow) *domain.Enterprise {
			return &domain.Enterprise{ID: r.ID, Name: r.Name}
		}), nil
	}
	return toList(rows, next, total, func(r *enterpriseRow) *domain.Enterprise { return r.forActor(a) }), nil
}

// fragmentShare is the planner's estimate of the share of enterprises whose names hold every
// bigram of q: from the bigram index's statistics (its most common elements), so it costs a
// plan, not a scan; remembered for shareTTL. A wrong or old estimate costs time, never the
// answer (pageWalking checks that the walk filled the page).
func (s *EnterpriseService) fragmentShare(ctx context.Context, q string) (float64, error) {
	now := time.Now()
	s.sharesMu.Lock()
	e, ok := s.shares[q]
	s.sharesMu.Unlock()
	if ok && now.Sub(e.at) < shareTTL {
		return e.share, nil
	}
	share, err := s.estimateShare(ctx, q)
	if err != nil {
		return 0, err
	}
	s.sharesMu.Lock()
	if s.shares == nil || len(s.shares) >= sharesMax {
		s.shares = map[string]shareEstimate{}
	}
	s.shares[q] = shareEstimate{share: share, at: now}
	s.sharesMu.Unlock()
	return share, nil
}

func (s *EnterpriseService) estimateShare(ctx context.Context, q string) (float64, error) {
	var plan string
	err := s.db.Bun.NewRaw(`EXPLAIN (FORMAT JSON) SELECT 1 FROM enterprises e WHERE steward_bigrams(e.name) @> steward_bigrams(?)
		UNION ALL SELECT 1 FROM enterprises e`, q).Scan(ctx, &plan)
	if err != nil {
		return 0, translate(err)
	}
	var out []struct {
		Plan struct {
			Plans []struct {
				Rows float64 `json:"Plan Rows"`
			}
		}
	}
	if err := json.Unmarshal([]byte(plan), &out); err != nil || len(out) != 1 || len(out[0].Plan.Plans) != 2 || out[0].Plan.Plans[1].Rows < 1 {
		return 0, nil // no estimate: ask the index
	}
	return out[0].Plan.Plans[0].Rows / out[0].Plan.Plans[1].Rows, nil
}

func (s *EnterpriseService) UpdateEnterprise(ctx context.Context, id string, version int, p domain.EnterprisePatch) (*domain.Enterprise, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResEnterprise) {
		return nil, domain.Forbidden(a, "change enterprises")
	}
	var r enterpriseRow
	err := update(ctx, s.db, &r, id, version, "enterprise", enterpriseScope(a), func(tx bun.Tx) error {
		if err := domain.MayPatchEnterprise(a, p); err != nil {
			return err
		}
		e := r.toDomain()
		if err := e.Apply(p); err != nil {
			return err
		}
		r.set(e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.forActor(a), nil
}

func (s *EnterpriseService) SetEnterpriseStatus(ctx context.Context, id string, version int, status domain.EnterpriseStatus, reason string) (*domain.Enterprise, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResEnterprise) {
		return nil, domain.Forbidden(a, "archive enterprises")
	}
	var r enterpriseRow
	if version == 0 {
		if err := get(ctx, s.db.Bun, &r, id, enterpriseScope(a)); err != nil {
			return nil, err
		}
		version = r.Version
	}
	err := update(ctx, s.db, &r, id, version, "enterprise", enterpriseScope(a), func(tx bun.Tx) error {
		if !domain.Can(a, domain.ActArchive, domain.ResEnterprise) {
			return domain.Forbidden(a, "archive or restore enterprises")
		}
		e := r.toDomain()
		if err := e.SetStatus(status, reason); err != nil {
			return err
		}
		r.Status = string(e.Status)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.forActor(a), nil
}
